using TorchSharp;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>Random well-posed problems drawn from a seed, for tests, benchmarks and trying the solvers out.</summary>
public static class RandomLqr
{
    /// <summary>
    /// A discounted problem (E3) with N = <paramref name="tokens"/> and H = <paramref name="heads"/>: a in [-0.9, 0.9],
    /// log γ = -softplus(N(0, 1)) - 0.05, B ~ N(0, 1/n), Q and Q_f positive definite (M Mᵀ/n + 0.05 I), ρ in
    /// [0.5, 2], h_0 ~ N(0, 1). B and Q are shared by the heads of a token when <paramref name="shared"/>.
    /// </summary>
    public static DiscountedLqr Discounted(long seed, long tokens, long heads, long n, long m, bool shared,
        ScalarType dtype = ScalarType.Float64)
    {
        var g = new Generator(seed: (ulong)seed);
        Tensor Rand(params long[] shape) => rand(shape, dtype, generator: g);
        Tensor Randn(params long[] shape) => randn(shape, dtype, generator: g);
        Tensor LogGamma(params long[] shape) => -nn.functional.softplus(Randn(shape)) - 0.05;
        Tensor Psd(params long[] lead)
        {
            var M = Randn([.. lead, n, n]);
            return matmul(M, M.transpose(-1, -2)) / n + 0.05 * eye(n, dtype: dtype);
        }
        long[] bq = shared ? [tokens] : [tokens, heads];
        return new DiscountedLqr(
            A: Rand(tokens, heads, n) * 1.8 - 0.9,
            LogGammaA: LogGamma(tokens, heads),
            B: Randn([.. bq, n, m]) / Math.Sqrt(n),
            LogGammaB: LogGamma(tokens, heads, m),
            Q: Psd(bq),
            LogGammaQ: LogGamma(tokens, heads, n),
            Qf: Psd(tokens, heads),
            Rho: Rand(tokens, heads, m) * 1.5 + 0.5,
            H0: Randn(tokens, heads, n));
    }
}
