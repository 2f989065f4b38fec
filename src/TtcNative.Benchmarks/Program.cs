using BenchmarkDotNet.Running;

// ./build.sh bench-dotnet [BenchmarkDotNet options]; without options, every benchmark (docs/BENCHMARKS.md).
var options = args.Length > 0 ? args : ["--filter", "*"];
BenchmarkSwitcher.FromAssembly(typeof(TtcNative.Benchmarks.CpuLqrBenchmarks).Assembly).Run(options);
