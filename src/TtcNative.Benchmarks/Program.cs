using BenchmarkDotNet.Running;
using TtcNative.Interop;

// ./build.sh bench-dotnet [BenchmarkDotNet options]; without options, every benchmark (docs/BENCHMARKS.md).
// The benchmark processes inherit TTC_CPU_ISA, so TTC_CPU_ISA=baseline times the native baseline solvers.
Console.WriteLine($"ttc_cpu_isa: {TtcLibrary.CpuInstructionSet}");
var options = args.Length > 0 ? args : ["--filter", "*"];
BenchmarkSwitcher.FromAssembly(typeof(TtcNative.Benchmarks.CpuLqrBenchmarks).Assembly).Run(options);
