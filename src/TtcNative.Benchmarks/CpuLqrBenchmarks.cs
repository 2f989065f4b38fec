using BenchmarkDotNet.Attributes;
using TorchSharp;
using TtcNative.Interop;
using static TorchSharp.torch;

namespace TtcNative.Benchmarks;

/// <summary>
/// DESIGN.md §7, CPU: forward+backward of the TTC regime (discounted form, n = m = 16, H = 1, N = 4096) through the
/// TorchSharp surface a user calls. The baseline is the pure-TorchSharp Riccati with autograd (TorchRiccati); against
/// it, the native symplectic solver (with its defaults, checkpoints and saved sweep states; without saved states; and
/// with full storage) and the native Riccati reference, all through LqrFunction. Every method draws the same problem,
/// differentiates u_1 · W with respect to every input, and runs on all cores (library and torch threads).
/// </summary>
[Config(typeof(CpuBenchmarkConfig))]
public class CpuLqrBenchmarks
{
    public const long Tokens = 4096, Size = 16;

    [Params(8, 16, 32, 64)]
    public int T { get; set; }

    [Params(ScalarType.Float32, ScalarType.Float64)]
    public ScalarType Dtype { get; set; }

    DiscountedLqr _problem = null!;
    Tensor _weight = null!;

    [GlobalSetup]
    public void Setup()
    {
        Threads.UseAllCores();
        _problem = RandomLqr.Discounted(seed: 7, Tokens, heads: 1, Size, Size, shared: true, Dtype);
        _weight = randn([Tokens, 1, Size], Dtype, generator: new Generator(seed: 8));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in _problem.Tensors) t.Dispose();
        _weight.Dispose();
    }

    [Benchmark(Baseline = true, Description = "TorchSharp Riccati + autograd")]
    public void TorchSharpRiccati() => ForwardBackward(p => TorchRiccati.FirstControl(p, T));

    [Benchmark(Description = "native symplectic")]
    public void NativeSymplectic() => ForwardBackward(p => LqrFunction.FirstControl(p, T));

    [Benchmark(Description = "native symplectic, stateless")]
    public void NativeSymplecticStateless() =>
        ForwardBackward(p => LqrFunction.FirstControl(p, T, new LqrOptions(SaveStates: false)));

    [Benchmark(Description = "native symplectic, full storage")]
    public void NativeSymplecticFullStorage() =>
        ForwardBackward(p => LqrFunction.FirstControl(p, T, new LqrOptions(Storage: TtcStorage.Full)));

    [Benchmark(Description = "native Riccati")]
    public void NativeRiccati() =>
        ForwardBackward(p => LqrFunction.FirstControl(p, T, new LqrOptions(Solver: TtcSolver.Riccati)));

    [Benchmark(Description = "native symplectic, inference")]
    public void NativeSymplecticInference()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var u1 = LqrFunction.FirstControl(_problem.Leaves(), T);
        if (u1.requires_grad) throw new InvalidOperationException("no_grad built a graph");
    }

    // u_1 of fresh leaves (so no gradient accumulates across invocations), then the gradients of u_1 · W to all of them.
    void ForwardBackward(Func<DiscountedLqr, Tensor> firstControl)
    {
        using var scope = NewDisposeScope();
        var leaves = _problem.Leaves();
        var u1 = firstControl(leaves);
        TtcAutograd.Backward((u1 * _weight).sum());
        if (leaves.Tensors.Any(t => t.grad is null)) throw new InvalidOperationException("an input got no gradient");
    }

    /// <summary>DESIGN.md §7's useful work of one sweep (n = m = Size, Tokens problems).</summary>
    public static double UsefulFlops(int horizon) => DiscountedLqr.UsefulSweepFlops(Size, Size, horizon, Tokens);
}
