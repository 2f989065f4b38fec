using TorchSharp;
using static TorchSharp.torch;

namespace TtcNative.Tests;

/// <summary>Random explicit-form problems as tensors, drawn from a seed (discounted ones: RandomLqr), and the error measure.</summary>
public static class Problems
{
    public static ExplicitLqr Explicit(long seed, long tokens, long heads, long T, long n, long m, bool linear,
        ScalarType dtype = ScalarType.Float64)
    {
        var g = new Generator(seed: (ulong)seed);
        Tensor Rand(params long[] shape) => rand(shape, dtype, generator: g);
        Tensor Randn(params long[] shape) => randn(shape, dtype, generator: g);
        var sign = (Rand(tokens, heads, T, n) > 0.5).to_type(dtype) * 2 - 1;
        var M = Randn(tokens, heads, T, n, n);
        return new ExplicitLqr(
            A: sign * (Rand(tokens, heads, T, n) * 0.5 + 0.75),
            B: Randn(tokens, heads, T, n, m) / Math.Sqrt(n),
            Q: matmul(M, M.transpose(-1, -2)) / n + 0.05 * eye(n, dtype: dtype),
            Rho: Rand(tokens, heads, T, m) * 1.5 + 0.5,
            H0: Randn(tokens, heads, n),
            QLinear: linear ? 0.5 * Randn(tokens, heads, T, n) : null,
            RLinear: linear ? 0.5 * Randn(tokens, heads, T, m) : null);
    }

    /// <summary>DESIGN.md §0: e(x, y) = max|x - y| / (1 + max|y|).</summary>
    public static double RelError(Tensor x, Tensor y)
    {
        if (!x.shape.SequenceEqual(y.shape)) return double.PositiveInfinity;
        if (x.numel() == 0) return 0;
        var diff = (x.to_type(ScalarType.Float64) - y.to_type(ScalarType.Float64)).abs().max().item<double>();
        return double.IsNaN(diff) ? double.PositiveInfinity : diff / (1 + y.to_type(ScalarType.Float64).abs().max().item<double>());
    }
}
