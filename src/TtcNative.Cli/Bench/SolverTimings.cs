using System.Diagnostics;
using TorchSharp;
using TtcNative.Interop;
using static TorchSharp.torch;

namespace TtcNative.Cli.Bench;

/// <summary>A solver that `ttc bench` times: the native ones through LqrFunction, or the pure-TorchSharp Riccati.</summary>
public enum BenchSolver { Symplectic, Riccati, Torch }

/// <summary>What `ttc bench` measures: DESIGN.md §7's CPU case, the discounted form with B and Q shared by the heads.</summary>
public sealed record BenchPlan(long N, long M, long Batch, long Heads, int[] Horizons, ScalarType[] Dtypes,
    BenchSolver[] Solvers, int Reps, int Seed)
{
    public int Runs => Horizons.Length * Dtypes.Length * Solvers.Length;
}

/// <summary>
/// One solver at one horizon and dtype: the median over the repetitions of u_1 alone (no graph) and of u_1 and the
/// gradients of u_1 · W with respect to every input, in milliseconds.
/// </summary>
public sealed record BenchTiming(int T, ScalarType Dtype, BenchSolver Solver, double ForwardMs, double ForwardBackwardMs,
    double ForwardBackwardSpread)
{
    /// <summary>DESIGN.md §7's useful work of one sweep over the forward's time.</summary>
    public double ForwardGflops(BenchPlan plan) =>
        DiscountedLqr.UsefulSweepFlops(plan.N, plan.M, T, (long)plan.Batch * plan.Heads) / (ForwardMs * 1e6);
}

public static class SolverTimings
{
    /// <summary>Times every (horizon, dtype, solver) of the plan, reporting each finished run to `done`.</summary>
    public static List<BenchTiming> Run(BenchPlan plan, Action<BenchTiming> done)
    {
        var results = new List<BenchTiming>();
        foreach (var T in plan.Horizons)
            foreach (var dtype in plan.Dtypes)
            {
                using var scope = NewDisposeScope();
                var p = Cast(RandomLqr.Discounted(plan.Seed, plan.Batch, plan.Heads, plan.N, plan.M, shared: true), dtype);
                var weight = randn([plan.Batch, plan.Heads, plan.M], dtype, generator: new Generator(seed: (ulong)plan.Seed));
                foreach (var solver in plan.Solvers)
                {
                    var (forward, _) = Median(plan.Reps, () =>
                    {
                        using var inner = NewDisposeScope();
                        using var _ = no_grad();
                        FirstControl(solver, p, T);
                    });
                    var (forwardBackward, spread) = Median(plan.Reps, () => ForwardBackward(solver, p, T, weight));
                    var timing = new BenchTiming(T, dtype, solver, forward, forwardBackward, spread);
                    results.Add(timing);
                    done(timing);
                }
            }
        return results;
    }

    static Tensor FirstControl(BenchSolver solver, DiscountedLqr p, long T) => solver switch
    {
        BenchSolver.Torch => TorchRiccati.FirstControl(p, T),
        BenchSolver.Riccati => LqrFunction.FirstControl(p, T, new LqrOptions(TtcSolver.Riccati)),
        _ => LqrFunction.FirstControl(p, T),
    };

    // u_1 of fresh leaves (so no gradient accumulates across repetitions), then the gradients of u_1 · W to all of them.
    static void ForwardBackward(BenchSolver solver, DiscountedLqr p, long T, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var u1 = FirstControl(solver, p.Leaves(), T);
        TtcAutograd.Backward((u1 * weight).sum());
    }

    /// <summary>
    /// One call to warm up, then the median wall time of `reps` calls, in milliseconds, and their spread, (max - min) /
    /// median: a large one says that something else shared the cores.
    /// </summary>
    static (double Median, double Spread) Median(int reps, Action call)
    {
        call();
        var times = new double[reps];
        for (var i = 0; i < reps; ++i)
        {
            var clock = Stopwatch.StartNew();
            call();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        var median = reps % 2 == 1 ? times[reps / 2] : 0.5 * (times[reps / 2 - 1] + times[reps / 2]);
        return (median, (times[^1] - times[0]) / median);
    }

    static DiscountedLqr Cast(DiscountedLqr p, ScalarType dtype) =>
        DiscountedLqr.From(p.Tensors.Select(t => t.to(dtype)).ToArray());
}
