using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TorchSharp;

namespace TtcNative.Benchmarks;

/// <summary>GFLOP/s of useful work: DESIGN.md §7's count for the LQR benchmarks, the FMAs issued for the peak.</summary>
public sealed class UsefulGflopsColumn : IColumn
{
    public string Id => nameof(UsefulGflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "useful floating-point operations per second: 2(2n³ + n²m) per step and problem for the LQR solvers";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var flops = Flops(benchmarkCase);
        return meanNs is > 0 && flops is { } f ? (f / meanNs.Value).ToString("F2") : "-";
    }

    static double? Flops(BenchmarkCase c)
    {
        object? Param(string name) => c.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;
        var type = c.Descriptor.Type;
        if (type == typeof(CpuLqrBenchmarks)) return CpuLqrBenchmarks.UsefulFlops((int)Param(nameof(CpuLqrBenchmarks.T))!);
        if (type == typeof(FmaPeakBenchmarks)) return FmaPeakBenchmarks.Flops((torch.ScalarType)Param(nameof(FmaPeakBenchmarks.Dtype))!);
        return null;
    }
}
