using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace TtcNative.Benchmarks;

/// <summary>
/// The measured FMA peak of DESIGN.md §7: every core runs independent chains of 256-bit fused multiply-adds, enough of
/// them to cover the instruction's latency on every FMA port. The CPU tables quote GFLOP/s against this figure.
/// </summary>
[Config(typeof(CpuBenchmarkConfig))]
public class FmaPeakBenchmarks
{
    const long Rounds = 1L << 27;
    const int Chains = 12;

    [Params(ScalarType.Float32, ScalarType.Float64)]
    public ScalarType Dtype { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Fma.IsSupported || !Avx.IsSupported)
            throw new PlatformNotSupportedException("this CPU has no AVX FMA: the peak benchmark needs Fma.MultiplyAdd on Vector256");
    }

    [Benchmark(Description = "FMA peak, all cores")]
    public double Peak()
    {
        var sums = new double[Threads.Count];
        Parallel.For(0, Threads.Count, new ParallelOptions { MaxDegreeOfParallelism = Threads.Count },
            i => sums[i] = Dtype == ScalarType.Float32 ? RunChains(0.9999f, 1e-4f) : RunChains(0.999999, 1e-7));
        return sums.Sum();
    }

    /// <summary>Floating-point operations of one <see cref="Peak"/>: two per lane of every fused multiply-add.</summary>
    public static double Flops(ScalarType dtype) =>
        2.0 * Threads.Count * Rounds * Chains * (dtype == ScalarType.Float32 ? Vector256<float>.Count : Vector256<double>.Count);

    // Twelve chains in named locals, so that they stay in registers: a chain waits on its previous result only.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static double RunChains<T>(T scale, T step) where T : struct, INumber<T>
    {
        var x = Vector256.Create(scale);
        var y = Vector256.Create(step);
        Vector256<T> a0 = y, a1 = y + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y;
        Vector256<T> a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        for (long r = 0; r < Rounds; ++r)
        {
            a0 = MulAdd(a0, x, y); a1 = MulAdd(a1, x, y); a2 = MulAdd(a2, x, y); a3 = MulAdd(a3, x, y);
            a4 = MulAdd(a4, x, y); a5 = MulAdd(a5, x, y); a6 = MulAdd(a6, x, y); a7 = MulAdd(a7, x, y);
            a8 = MulAdd(a8, x, y); a9 = MulAdd(a9, x, y); a10 = MulAdd(a10, x, y); a11 = MulAdd(a11, x, y);
        }
        var total = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        return double.CreateChecked(Vector256.Sum(total));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> MulAdd<T>(Vector256<T> a, Vector256<T> x, Vector256<T> y) where T : struct
    {
        if (typeof(T) == typeof(double)) return Fma.MultiplyAdd(a.AsDouble(), x.AsDouble(), y.AsDouble()).As<double, T>();
        return Fma.MultiplyAdd(a.AsSingle(), x.AsSingle(), y.AsSingle()).As<float, T>();
    }
}
