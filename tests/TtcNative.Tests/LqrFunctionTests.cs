using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TtcNative.Interop;
using Xunit;
using static TorchSharp.torch;

namespace TtcNative.Tests;

public class LqrFunctionTests
{
    public sealed record Case(int Seed, int Tokens, int Heads, int T, int N, int M, bool Shared);

    static Arbitrary<Case> Cases() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from tokens in Gen.Choose(1, 4)
         from heads in Gen.Choose(1, 3)
         from T in Gen.Choose(0, 40)
         from n in Gen.Choose(1, 8)
         from m in Gen.Choose(1, 8)
         from shared in Gen.Elements(true, false)
         select new Case(seed, tokens, heads, T, n, m, shared)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property NativeSymplecticEqualsNativeRiccati() => Prop.ForAll(Cases(), c =>
    {
        using var scope = NewDisposeScope();
        var p = RandomLqr.Discounted(c.Seed, c.Tokens, c.Heads, c.N, c.M, c.Shared);
        var s = Lqr.Solve(p, c.T, new LqrOptions(TtcSolver.Symplectic), trajectory: true, p0: true);
        var r = Lqr.Solve(p, c.T, new LqrOptions(TtcSolver.Riccati), trajectory: true, p0: true);
        var forward = new[] { Problems.RelError(s.U!, r.U!), Problems.RelError(s.H!, r.H!), Problems.RelError(s.P0!, r.P0!) }.Max();
        var gradU = randn([c.Tokens, c.Heads, Math.Min(1, c.T), c.M], float64);
        var gs = Lqr.Backward(p, c.T, gradU, null, new LqrOptions(TtcSolver.Symplectic));
        var gr = Lqr.Backward(p, c.T, gradU, null, new LqrOptions(TtcSolver.Riccati));
        var backward = gs.Tensors.Zip(gr.Tensors).Max(x => Problems.RelError(x.First, x.Second));
        return (forward <= 1e-10 && backward <= 1e-9).Label($"forward {forward:E2}, gradients {backward:E2}");
    });

    /// <summary>
    /// LqrOptions.SaveStates: FirstControl's backward from the sweep states its forward kept gives bitwise the gradients
    /// of the stateless backward, in both dtypes (FirstControl keeps states with checkpoints only; the raw API below
    /// takes them with either storage); the states are really read (spoiled, they change the gradients), and a buffer
    /// written for other inputs, or random bytes, is recomputed to the same bits.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property SavedStatesGiveBitwiseStatelessGradients() => Prop.ForAll(Cases(), Gen.Elements(true, false).ToArbitrary(),
        (c, full) =>
    {
        using var scope = NewDisposeScope();
        var dtype = c.Seed % 2 == 0 ? float64 : float32;
        var p = RandomLqr.Discounted(c.Seed, c.Tokens, c.Heads, c.N, c.M, c.Shared);
        p = new DiscountedLqr(p.A.to(dtype), p.LogGammaA.to(dtype), p.B.to(dtype), p.LogGammaB.to(dtype), p.Q.to(dtype),
            p.LogGammaQ.to(dtype), p.Qf.to(dtype), p.Rho.to(dtype), p.H0.to(dtype));
        var w = randn([c.Tokens, c.Heads, c.M], dtype, generator: new Generator(seed: (ulong)c.Seed));
        var storage = full ? TtcStorage.Full : TtcStorage.Checkpoints;
        List<Tensor> Gradients(LqrOptions o)
        {
            var leaves = p.Tensors.Select(t => t.detach().clone().requires_grad_(true)).ToList();
            var u1 = LqrFunction.FirstControl(new DiscountedLqr(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4],
                leaves[5], leaves[6], leaves[7], leaves[8]), c.T, o);
            TtcAutograd.Backward((u1 * w).sum());
            return leaves.Select(l => l.grad!).ToList();
        }
        var kept = Gradients(new LqrOptions(Storage: storage, SaveStates: true));
        var stateless = Gradients(new LqrOptions(Storage: storage, SaveStates: false));
        var same = kept.Zip(stateless).All(x => x.First.eq(x.Second).all().item<bool>());

        // The raw API: spoil the states of problem 0 under their seal (the region's bytes before its last 16).
        var spoiledDiffers = true;
        var staleIgnored = true;
        if (c.T > 1)
        {
            var o = new LqrOptions(Storage: storage);
            var upstream = w.unsqueeze(2);
            var clean = Lqr.Backward(p, c.T, upstream, null, o);
            bool SameAsClean(Tensor buffer) =>
                Lqr.Backward(p, c.T, upstream, null, o, buffer).Tensors.Zip(clean.Tensors).All(x => x.First.eq(x.Second).all().item<bool>());

            // Lqr.SavedStates leaves its buffer uninitialised: states sealed for other inputs, or random bytes, are
            // recomputed.
            var other = RandomLqr.Discounted(c.Seed + 1, c.Tokens, c.Heads, c.N, c.M, c.Shared, dtype);
            var stale = Lqr.SavedStates(other, c.T, o);
            Lqr.Solve(other, c.T, o, saved: stale);
            var random = Lqr.SavedStates(p, c.T, o).random_(0, 256, generator: new Generator(seed: (ulong)c.Seed));
            staleIgnored = SameAsClean(stale) && SameAsClean(random);

            var states = Lqr.SavedStates(p, c.T, o);
            Lqr.Solve(p, c.T, o, saved: states);
            var region = states.numel() / (c.Tokens * c.Heads);
            states.narrow(0, 0, region - 16).fill_(7);
            try
            {
                var spoiled = Lqr.Backward(p, c.T, upstream, null, o, states);
                spoiledDiffers = !spoiled.Tensors.Zip(clean.Tensors).All(x => x.First.eq(x.Second).all().item<bool>());
            }
            catch (TtcNativeException)
            {
                spoiledDiffers = true;  // the spoiled states made a Z_t singular, or cost the sweep its rank
            }
        }
        return (same && spoiledDiffers && staleIgnored).Label(
            $"bitwise equal {same}, spoiled states read {spoiledDiffers}, stale or random buffers ignored {staleIgnored}");
    });

    /// <summary>
    /// Inference (no_grad, or no input requiring grad) keeps no saved states (docs/BENCHMARKS.md, "native symplectic,
    /// inference"), builds no graph, and gives bitwise the u_1 of a differentiable call.
    /// </summary>
    [Fact]
    public void FirstControlInInferenceMatchesTraining()
    {
        var p = RandomLqr.Discounted(5, 6, 2, 4, 3, true);
        var leaves = p.Tensors.Select(t => t.detach().clone().requires_grad_(true)).ToArray();
        var training = LqrFunction.FirstControl(DiscountedLqr.From(leaves), 9);
        Assert.True(training.requires_grad);
        Tensor inference;
        using (no_grad()) inference = LqrFunction.FirstControl(DiscountedLqr.From(leaves), 9);
        var constants = LqrFunction.FirstControl(p, 9);
        Assert.False(inference.requires_grad);
        Assert.False(constants.requires_grad);
        Assert.True(inference.eq(training.detach()).all().item<bool>());
        Assert.True(constants.eq(training.detach()).all().item<bool>());
    }

    [Fact]
    public void SavedStatesBufferIsChecked()
    {
        var p = RandomLqr.Discounted(3, 2, 2, 4, 3, false);
        var wrongType = zeros(64, float32);
        var e = Assert.Throws<ArgumentException>(() => Lqr.Solve(p, 6, saved: wrongType));
        Assert.Equal("saved", e.ParamName);
        var small = Lqr.SavedStates(p, 6).narrow(0, 0, 8);
        var native = Assert.Throws<TtcNativeException>(() => Lqr.Solve(p, 6, saved: small));
        Assert.Equal(TtcStatus.InvalidArgument, native.Status);
        Assert.Equal("options.saved", native.ArgumentName);
    }

    /// <summary>DESIGN.md §4 finite differences through torch.autograd.grad: 3 directions per input.</summary>
    static void CheckFiniteDifferences(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> names, Func<IReadOnlyList<Tensor>, Tensor> loss,
        int seed, Func<int, bool>? symmetric = null)
    {
        var leaves = inputs.Select(t => t.detach().clone().requires_grad_(true)).ToList();
        var grads = autograd.grad([loss(leaves)], leaves, allow_unused: true);
        var g = new Generator(seed: (ulong)seed);
        for (var k = 0; k < inputs.Count; ++k)
        {
            var theta = inputs[k].detach();
            var grad = grads[k] ?? zeros_like(theta);
            var eps = 1e-6 * Math.Max(1.0, theta.abs().max().item<double>());
            for (var d = 0; d < 3; ++d)
            {
                var v = randn(theta.shape, float64, generator: g);
                if (symmetric?.Invoke(k) == true) v = 0.5 * (v + v.transpose(-1, -2));
                double Eval(double sign)
                {
                    using var _ = no_grad();
                    var shifted = inputs.Select((t, i) => i == k ? t.detach() + sign * eps * v : t.detach()).ToList();
                    return loss(shifted).item<double>();
                }
                var fd = (Eval(+1) - Eval(-1)) / (2 * eps);
                var gv = (grad * v).sum().item<double>();
                var bound = 1e-6 * Math.Max(Math.Abs(gv), 1e-3 * grad.norm().item<double>() * v.norm().item<double>());
                Assert.True(Math.Abs(fd - gv) <= bound, $"{names[k]} direction {d}: fd {fd} vs <grad, v> {gv}");
            }
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void DiscountedGradientsMatchFiniteDifferences(int seed, bool shared)
    {
        var p = RandomLqr.Discounted(seed, 2, 2, 4, 3, shared);
        var w = randn([2, 2, 3], float64, generator: new Generator(seed: 99));
        CheckFiniteDifferences(p.Tensors, DiscountedLqr.Names,
            t => (LqrFunction.FirstControl(new DiscountedLqr(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]), 12) * w).sum(),
            seed, k => k is 4 or 6);
    }

    [Fact]
    public void ExplicitTrajectoryGradientsMatchFiniteDifferences()
    {
        var p = Problems.Explicit(5, 2, 1, 6, 3, 2, linear: true);
        var inputs = new[] { p.A, p.B, p.Q, p.Rho, p.H0, p.QLinear!, p.RLinear! };
        var wu = randn([2, 1, 6, 2], float64, generator: new Generator(seed: 7));
        var wh = randn([2, 1, 7, 3], float64, generator: new Generator(seed: 8));
        CheckFiniteDifferences(inputs, ["a", "B", "Q", "rho", "h0", "q", "r"], t =>
        {
            var (u, h) = LqrFunction.Trajectory(new ExplicitLqr(t[0], t[1], t[2], t[3], t[4], t[5], t[6]));
            return (u * wu).sum() + (h * wh).sum();
        }, 5, k => k == 2);
    }

    [Fact]
    public void HalfPrecisionAndIntegerInputsAreRejected()
    {
        var p = RandomLqr.Discounted(1, 1, 1, 2, 2, true);
        foreach (var dtype in new[] { ScalarType.BFloat16, ScalarType.Float16, ScalarType.Int32 })
        {
            var bad = p with { A = p.A.to_type(dtype) };
            var e = Assert.Throws<ArgumentException>(() => LqrFunction.FirstControl(bad, 4));
            Assert.Equal("a", e.ParamName);
            Assert.Contains("expected float32 or float64", e.Message);
        }
        var mixed = p with { Rho = p.Rho.to_type(ScalarType.Float32) };
        Assert.Contains("expected Float64", Assert.Throws<ArgumentException>(() => LqrFunction.FirstControl(mixed, 4)).Message);
    }

    [Fact]
    public void ShapeErrorsNameTheTensorAndTheExpectedShape()
    {
        var p = RandomLqr.Discounted(1, 2, 3, 4, 2, true);
        var e = Assert.Throws<ArgumentException>(() => LqrFunction.FirstControl(p with { B = p.B.narrow(2, 0, 1) }, 4));
        Assert.Equal("B", e.ParamName);
        Assert.Contains("expected [N, n, m] = [2, 4, 2]", e.Message);
        var q = RandomLqr.Discounted(1, 2, 3, 4, 2, true);
        var e2 = Assert.Throws<ArgumentException>(() => Lqr.Solve(q with { Qf = q.Qf.narrow(0, 0, 1) }, 4));
        Assert.Equal("Qf", e2.ParamName);
    }

    [Fact]
    public void NumericFailuresRaiseTypedExceptionsWithTheBatchIndex()
    {
        var p = RandomLqr.Discounted(2, 3, 2, 3, 2, true);
        var rho = p.Rho.clone();
        rho[2, 1, 0] = tensor(-1.0);
        var e = Assert.Throws<TtcNativeException>(() => LqrFunction.FirstControl(p with { Rho = rho }, 5));
        Assert.Equal(TtcStatus.NonPositiveRho, e.Status);
        Assert.Equal(5, e.BatchIndex);
        Assert.Equal("rho", e.ArgumentName);
        var a = p.A.clone();
        a[0, 0, 0] = tensor(double.NaN);
        Assert.Equal(TtcStatus.NonFinite, Assert.Throws<TtcNativeException>(() => LqrFunction.FirstControl(p with { A = a }, 5)).Status);
    }

    [Fact]
    public void CreateGraphIsRefusedWithoutCrossingNativeFrames()
    {
        var p = RandomLqr.Discounted(3, 1, 1, 2, 2, true);
        var a = p.A.detach().clone().requires_grad_(true);
        var loss = LqrFunction.FirstControl(p with { A = a }, 3).sum();
        Assert.Throws<NotSupportedException>(() => TtcAutograd.Backward(loss, createGraph: true));
        // Through torch.autograd.grad the failure happens inside the backward: zero gradients, then a rethrow.
        var grads = autograd.grad([loss], [a], create_graph: true);
        Assert.Equal(0.0, grads[0].abs().sum().item<double>());
        Assert.Throws<NotSupportedException>(() => LqrFunction.FirstControl(p, 3));
        var again = LqrFunction.FirstControl(p with { A = a }, 3).sum();
        TtcAutograd.Backward(again);
        Assert.True(a.grad!.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void ZeroHorizonGivesZeroControlAndZeroGradients()
    {
        var p = RandomLqr.Discounted(4, 2, 2, 3, 2, false);
        var a = p.A.detach().clone().requires_grad_(true);
        var u1 = LqrFunction.FirstControl(p with { A = a }, 0);
        Assert.Equal(0.0, u1.abs().sum().item<double>());
        TtcAutograd.Backward(u1.sum());
        Assert.Equal(0.0, a.grad!.abs().sum().item<double>());
    }
}
