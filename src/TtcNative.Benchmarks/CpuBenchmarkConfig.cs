using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TtcNative.Benchmarks;

/// <summary>
/// In process (the benchmarks run where libtorch and libttc.so load: the Debian 13 chroot on Debian 12), one warmup
/// and five measured iterations of one call each (every benchmark call takes 0.1 s or more), and the useful GFLOP/s of
/// DESIGN.md §7 beside the time.
/// </summary>
public sealed class CpuBenchmarkConfig : ManualConfig
{
    public CpuBenchmarkConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(1)
            .WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
        AddColumn(new UsefulGflopsColumn());
        AddColumn(RankColumn.Arabic);
        ArtifactsPath = Path.Combine(Directory.GetCurrentDirectory(), "build", "bench-dotnet");
    }
}
