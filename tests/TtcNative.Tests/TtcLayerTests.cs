using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TtcNative.Tests;

public class TtcLayerTests
{
    static TtcLayer Layer(int seed, ScalarType dtype, TtcLayerOptions? options = null, long n = 6, long m = 4, long qRank = 3)
    {
        manual_seed(seed);
        var layer = new TtcLayer(inDim: 10, outDim: 7, n: n, m: m, heads: 2, bRank: 3, qRank: qRank, options);
        layer.to(dtype);
        return layer;
    }

    /// <summary>The layer with the native solver against the same layer with the torch-ops Riccati reference.</summary>
    static void ExpectMatchesTorchReference(TtcLayer layer, ScalarType dtype, long T, double tolOut, double tolGrad)
    {
        var x = randn([3, 5, 10], dtype, generator: new Generator(seed: 17));
        var weight = randn([3, 5, 7], dtype, generator: new Generator(seed: 18));
        var parameters = layer.parameters().Cast<Tensor>().ToList();

        var native = layer.forward(x, T);
        var nativeGrads = autograd.grad([(native * weight).sum()], parameters, allow_unused: true);
        TtcAutograd.ThrowIfPending();

        var problem = layer.ControlProblem(x);
        var reference = layer.Readout(TorchRiccati.FirstControl(problem, T), problem.H0, 3, 5);
        var referenceGrads = autograd.grad([(reference * weight).sum()], parameters, allow_unused: true);

        Assert.True(Problems.RelError(native, reference) <= tolOut, $"output error {Problems.RelError(native, reference):E2}");
        for (var i = 0; i < parameters.Count; ++i)
        {
            var error = Problems.RelError(nativeGrads[i], referenceGrads[i]);
            Assert.True(error <= tolGrad, $"gradient of parameter {i} {string.Join("x", parameters[i].shape)}: {error:E2}");
        }
    }

    [Theory]
    [InlineData(TtcOutputScaling.PerHeadL2, TtcQMode.Plain, 8)]
    [InlineData(TtcOutputScaling.None, TtcQMode.Cholesky, 5)]
    [InlineData(TtcOutputScaling.ToH0Norm, TtcQMode.Plain, 16)]
    public void Float64MatchesTorchReference(TtcOutputScaling scaling, TtcQMode mode, long T) =>
        ExpectMatchesTorchReference(Layer(1, ScalarType.Float64, new TtcLayerOptions { Scaling = scaling, QMode = mode }),
            ScalarType.Float64, T, 1e-9, 1e-9);

    [Fact]
    public void Float32MatchesTorchReferenceInFloat64()
    {
        var layer32 = Layer(2, ScalarType.Float32);
        var layer64 = Layer(2, ScalarType.Float64);
        using (no_grad())
            foreach (var (p32, p64) in layer32.parameters().Zip(layer64.parameters()))
                p32.copy_(p64.to_type(ScalarType.Float32));  // the same weights, rounded to f32
        var x = randn([3, 5, 10], float64, generator: new Generator(seed: 5)).to_type(ScalarType.Float32).to_type(ScalarType.Float64);
        var weight = randn([3, 5, 7], float64, generator: new Generator(seed: 6));
        var p64s = layer64.parameters().Cast<Tensor>().ToList();
        using (no_grad())
            foreach (var p in p64s) p.copy_(p.to_type(ScalarType.Float32).to_type(ScalarType.Float64));
        var y32 = layer32.forward(x.to_type(ScalarType.Float32), 8);
        var g32 = autograd.grad([(y32 * weight.to_type(ScalarType.Float32)).sum()], layer32.parameters().Cast<Tensor>().ToList());
        var problem = layer64.ControlProblem(x);
        var y64 = layer64.Readout(TorchRiccati.FirstControl(problem, 8), problem.H0, 3, 5);
        var g64 = autograd.grad([(y64 * weight).sum()], p64s);
        Assert.True(Problems.RelError(y32, y64) <= 1e-4, $"f32 output error {Problems.RelError(y32, y64):E2}");
        for (var i = 0; i < g64.Count; ++i)
        {
            var error = Problems.RelError(g32[i], g64[i]);
            Assert.True(error <= 1e-4, $"f32 gradient of parameter {i}: {error:E2}");
        }
    }

    [Fact]
    public void StateAndControlSizesMayDifferFromTheRanks()
    {
        var layer = Layer(3, ScalarType.Float64, n: 5, m: 7, qRank: 2);
        ExpectMatchesTorchReference(layer, ScalarType.Float64, 6, 1e-9, 1e-9);
    }

    [Fact]
    public void ZeroHorizonTurnsTheLayerOffAndZeroInitOutputAddsNothing()
    {
        var x = randn(2, 3, 10, dtype: float64);
        Assert.Equal(0.0, Layer(4, ScalarType.Float64).forward(x, 0).abs().sum().item<double>());
        var adapter = Layer(4, ScalarType.Float64, new TtcLayerOptions { ZeroInitOutput = true });
        Assert.Equal(0.0, adapter.forward(x, 8).abs().sum().item<double>());
    }

    [Fact]
    public void BadInputNamesTheTensor()
    {
        var layer = Layer(5, ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => layer.forward(randn(2, 3, 9, dtype: float64), 4));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("[B, L, inDim]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TtcLayer(10, 7, 0, 4, 2, 3, 3));
    }
}
