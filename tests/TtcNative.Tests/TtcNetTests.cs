using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TtcNative.Tests;

public class TtcNetTests
{
    static readonly TtcNetOptions Small = new()
    {
        Width = 8, Blocks = 4, TtcEvery = 2, AttentionHeads = 2, MlpHidden = 12, N = 5, M = 3, TtcHeads = 2, BRank = 3,
        QRank = 2, MaxLength = 7,
    };

    static TtcNet Net(int seed, TtcNetOptions options, ScalarType dtype = ScalarType.Float64)
    {
        manual_seed(seed);
        var net = new TtcNet(options);
        net.to(dtype);
        return net;
    }

    public sealed record Case(int Seed, int Length, int Cut, int T);

    static Arbitrary<Case> Cases() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from length in Gen.Choose(2, 7)
         from cut in Gen.Choose(1, length - 1)
         from T in Gen.Choose(1, 12)
         select new Case(seed, length, cut, T)).ToArbitrary();

    /// <summary>
    /// Causality: changing the tokens from position `Cut` on leaves every earlier output as it was (attention sees
    /// only the past; the TTC layer and the MLP act per token), and does change the later ones.
    /// </summary>
    [Property(MaxTest = 20)]
    public Property OutputsDependOnlyOnEarlierTokens() => Prop.ForAll(Cases(), c =>
    {
        using var scope = NewDisposeScope();
        var net = Net(c.Seed, Small);
        var g = new Generator(seed: (ulong)c.Seed);
        var x = randn([2, c.Length, 8], float64, generator: g);
        var changed = x.clone();
        changed.narrow(1, c.Cut, c.Length - c.Cut).copy_(randn([2, c.Length - c.Cut, 8], float64, generator: g));
        var y = net.forward(x, c.T);
        var y2 = net.forward(changed, c.T);
        var past = Problems.RelError(y2.narrow(1, 0, c.Cut), y.narrow(1, 0, c.Cut));
        var future = (y2.narrow(1, c.Cut, c.Length - c.Cut) - y.narrow(1, c.Cut, c.Length - c.Cut)).abs().max().item<double>();
        return (past <= 1e-14 && future > 1e-3).Label($"earlier outputs moved by {past:E2}, later ones by {future:E2}");
    });

    /// <summary>
    /// DESIGN.md §4's finite-difference check through the whole network (the native LqrFunction inside each TTC-Net
    /// block, f64): for the input and for each parameter, a random direction v and a central difference of step
    /// 1e-6 max(1, |theta|_inf) agree with the autograd gradient, |fd - (grad, v)| <= 1e-6 max(|(grad, v)|, 1e-3 |grad| |v|).
    /// </summary>
    [Property(MaxTest = 4)]
    public Property GradientsMatchFiniteDifferences() => Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
    {
        using var scope = NewDisposeScope();
        var net = Net(seed, Small);
        var g = new Generator(seed: (ulong)seed);
        var x = randn([2, 6, 8], float64, generator: g).requires_grad_(true);
        var weight = randn([2, 6, 8], float64, generator: g);
        const long T = 6;
        var named = net.named_parameters().Select(p => (name: p.name, tensor: (Tensor)p.parameter)).Prepend((name: "x", tensor: x)).ToList();
        var grads = autograd.grad([(net.forward(x, T) * weight).sum()], named.Select(p => p.tensor).ToList());
        TtcAutograd.ThrowIfPending();
        double Loss()
        {
            using var _ = no_grad();
            return (net.forward(x, T) * weight).sum().item<double>();
        }
        var failures = new List<string>();
        for (var i = 0; i < named.Count; ++i)
        {
            var theta = named[i].tensor;
            var v = randn(theta.shape, float64, generator: g);
            var step = 1e-6 * Math.Max(1, theta.abs().max().item<double>());
            double Shifted(double by)
            {
                using (no_grad()) theta.add_(v * by);
                var loss = Loss();
                using (no_grad()) theta.sub_(v * by);
                return loss;
            }
            var fd = (Shifted(step) - Shifted(-step)) / (2 * step);
            var directional = (grads[i] * v).sum().item<double>();
            var bound = 1e-6 * Math.Max(Math.Abs(directional), 1e-3 * grads[i].norm().item<double>() * v.norm().item<double>());
            if (!(Math.Abs(fd - directional) <= bound))
                failures.Add($"{named[i].name}: fd {fd:E6}, gradient {directional:E6}");
        }
        return (failures.Count == 0).Label(string.Join("; ", failures));
    });

    /// <summary>
    /// DESIGN.md §0 for the f32 path: a TtcNet in f32 against its f64 twin (the same weights and input, rounded to f32),
    /// 1e-4 on the output and 1e-3 on the gradients of the input and every parameter.
    /// </summary>
    [Fact]
    public void Float32MatchesFloat64WithinDesignTolerances()
    {
        var net64 = Net(7, Small);
        var net32 = Net(7, Small, ScalarType.Float32);
        using (no_grad())
            foreach (var (p64, p32) in net64.parameters().Zip(net32.parameters()))
            {
                p32.copy_(p64);
                p64.copy_(p32);
            }
        var x64 = randn([3, 7, 8], float64, generator: new Generator(seed: 9)).to(ScalarType.Float32).to(float64);
        var weight = randn([3, 7, 8], float64, generator: new Generator(seed: 10));
        List<Tensor> Run(TtcNet net, Tensor x, out Tensor y)
        {
            var leaf = x.detach().requires_grad_(true);
            y = net.forward(leaf, 9);
            var grads = autograd.grad([(y * weight.to(x.dtype)).sum()], [leaf, .. net.parameters()]);
            TtcAutograd.ThrowIfPending();
            return grads.ToList();
        }
        var g64 = Run(net64, x64, out var y64);
        var g32 = Run(net32, x64.to(ScalarType.Float32), out var y32);
        Assert.True(Problems.RelError(y32, y64) <= 1e-4, $"output error {Problems.RelError(y32, y64):E2}");
        for (var i = 0; i < g64.Count; ++i)
            Assert.True(Problems.RelError(g32[i], g64[i]) <= 1e-3, $"gradient {i}: {Problems.RelError(g32[i], g64[i]):E2}");
    }

    [Fact]
    public void EveryKthBlockHoldsTheTtcLayer()
    {
        var net = Net(1, Small with { Blocks = 6, TtcEvery = 3 });
        Assert.Equal(new[] { 2, 5 }, net.TtcBlockIndices);
        Assert.Equal(2, net.modules().Count(m => m is TtcLayer));
        Assert.Equal(7, new TtcNet(new TtcNetOptions { Width = 16 }).TtcBlockIndices.Single());
    }

    /// <summary>
    /// T is every TTC layer's horizon: T = 0 turns them off, so the output differs from T = 8, unless their output
    /// projections start at zero (adapters), when a new network is its attention + MLP blocks alone at any T.
    /// </summary>
    [Fact]
    public void HorizonZeroTurnsTheTtcLayersOffAndZeroInitOutputAddsNothing()
    {
        var x = randn([2, 5, 8], float64, generator: new Generator(seed: 4));
        var net = Net(2, Small);
        Assert.True((net.forward(x, 8) - net.forward(x, 0)).abs().max().item<double>() > 1e-3);
        var adapter = Net(2, Small with { Layer = new TtcLayerOptions { ZeroInitOutput = true } });
        Assert.True(adapter.forward(x, 8).eq(adapter.forward(x, 0)).all().item<bool>());
    }

    /// <summary>Weights saved from one network and loaded into another of the same options give its outputs bitwise.</summary>
    [Fact]
    public void SavedWeightsLoadIntoANetworkOfTheSameOptions()
    {
        var x = randn([2, 5, 8], float64, generator: new Generator(seed: 8));
        var trained = Net(5, Small);
        var bytes = new MemoryStream();
        trained.save(bytes);
        var fresh = Net(6, Small);
        Assert.False(fresh.forward(x, 4).eq(trained.forward(x, 4)).all().item<bool>());
        fresh.load(new MemoryStream(bytes.ToArray()));
        Assert.True(fresh.forward(x, 4).eq(trained.forward(x, 4)).all().item<bool>());
        Assert.ThrowsAny<Exception>(() => Net(6, Small with { Blocks = 6 }).load(new MemoryStream(bytes.ToArray())));
    }

    [Fact]
    public void BadOptionsAndInputsNameTheArgument()
    {
        var options = Assert.Throws<ArgumentException>(() => new TtcNet(Small with { Width = 9 }));
        Assert.Equal("options", options.ParamName);
        Assert.Contains("AttentionHeads", options.Message);
        Assert.Contains("no TTC layer", Assert.Throws<ArgumentException>(() => new TtcNet(Small with { Blocks = 1 })).Message);
        Assert.Contains("N is 0", Assert.Throws<ArgumentException>(() => new TtcNetBlock(Small with { N = 0 })).Message);

        var net = Net(3, Small);
        var width = Assert.Throws<ArgumentException>(() => net.forward(randn([2, 3, 9], float64), 4));
        Assert.Equal("x", width.ParamName);
        Assert.Contains("[B, L, width]", width.Message);
        var length = Assert.Throws<ArgumentException>(() => net.forward(randn([2, 8, 8], float64), 4));
        Assert.Equal("x", length.ParamName);
        Assert.Contains("MaxLength = 7", length.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.forward(randn([2, 3, 8], float64), -1));
        Assert.Throws<ArgumentException>(() => net.forward(randn([2, 3, 8], float64).to(ScalarType.BFloat16), 4));
    }

    /// <summary>
    /// A small f32 TTC-Net learns a causal task, the majority of the bits so far (1 when more than half of bits 1..t
    /// are 1), with one horizon per step drawn from the seeded HorizonSampler, as DESIGN.md §5 trains.
    /// </summary>
    [Fact]
    public void LearnsTheRunningMajorityWithSampledHorizons()
    {
        manual_seed(11);
        var net = new TtcNet(new TtcNetOptions
        {
            Width = 16, Blocks = 2, TtcEvery = 2, AttentionHeads = 2, N = 4, M = 4, TtcHeads = 2, BRank = 2, QRank = 2,
        });
        var embed = nn.Linear(2, 16);
        var decode = nn.Linear(16, 2);
        var parameters = net.parameters().Concat(embed.parameters()).Concat(decode.parameters());
        var optimizer = optim.Adam(parameters, lr: 3e-3);
        var horizons = new HorizonSampler(seed: 5);
        var g = new Generator(seed: 12);
        (Tensor Loss, double Accuracy) Batch(long T)
        {
            var bits = randint(0, 2, [32, 12], generator: g);
            var ones = bits.cumsum(1);
            var count = arange(1, 13, ScalarType.Int64).unsqueeze(0);
            var target = (2 * ones > count).to(ScalarType.Int64);
            var logits = decode.forward(net.forward(embed.forward(F.one_hot(bits, 2).to(ScalarType.Float32)), T));
            var loss = F.cross_entropy(logits.reshape(-1, 2), target.reshape(-1));
            var accuracy = (logits.argmax(-1) == target).to(ScalarType.Float32).mean().item<float>();
            return (loss, accuracy);
        }
        var losses = new List<double>();
        for (var step = 0; step < 150; ++step)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (loss, _) = Batch(horizons.Next());
            TtcAutograd.Backward(loss);
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        double accuracyAfter;
        using (no_grad()) accuracyAfter = Batch(8).Accuracy;
        var first = losses.Take(10).Average();
        var last = losses.TakeLast(10).Average();
        Assert.True(last < 0.5 * first && accuracyAfter > 0.9, $"loss {first:F3} -> {last:F3}, accuracy {accuracyAfter:F3}");
    }
}
