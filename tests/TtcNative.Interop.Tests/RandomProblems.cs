using TtcNative.Interop;

namespace TtcNative.Interop.Tests;

/// <summary>Random explicit-form problems drawn from a seed (|a| with random signs, PSD Q, rho in [0.5, 2]).</summary>
public static class RandomProblems
{
    public static LqrArrays Draw(int seed, int T, int n, int m, double aLo, double aHi, bool linear)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var a = new double[T * n];
        for (var i = 0; i < a.Length; ++i) a[i] = (rng.Next(2) == 0 ? -1 : 1) * (aLo + (aHi - aLo) * rng.NextDouble());
        var B = new double[T * n * m];
        for (var i = 0; i < B.Length; ++i) B[i] = Normal() / Math.Sqrt(n);
        var Q = new double[T * n * n];
        for (var t = 0; t < T; ++t)
        {
            var M = new double[n * n];
            for (var i = 0; i < M.Length; ++i) M[i] = Normal();
            for (var i = 0; i < n; ++i)
            for (var j = 0; j < n; ++j)
            {
                double s = 0;
                for (var k = 0; k < n; ++k) s += M[i * n + k] * M[j * n + k];
                Q[(t * n + i) * n + j] = s / n + (i == j ? 0.05 : 0);
            }
        }
        var rho = new double[T * m];
        for (var i = 0; i < rho.Length; ++i) rho[i] = 0.5 + 1.5 * rng.NextDouble();
        var h0 = new double[n];
        for (var i = 0; i < n; ++i) h0[i] = Normal();
        double[]? q = null, r = null;
        if (linear)
        {
            q = new double[T * n];
            r = new double[T * m];
            for (var i = 0; i < q.Length; ++i) q[i] = 0.5 * Normal();
            for (var i = 0; i < r.Length; ++i) r[i] = 0.5 * Normal();
        }
        return new LqrArrays(T, n, m, a, B, Q, rho, h0, q, r);
    }

    /// <summary>DESIGN.md §0: e(x, y) = max|x - y| / (1 + max|y|).</summary>
    public static double RelError(double[] x, double[] y)
    {
        if (x.Length != y.Length) return double.PositiveInfinity;
        double diff = 0, scale = 0;
        for (var i = 0; i < x.Length; ++i)
        {
            diff = Math.Max(diff, Math.Abs(x[i] - y[i]));
            scale = Math.Max(scale, Math.Abs(y[i]));
        }
        return double.IsNaN(diff) ? double.PositiveInfinity : diff / (1 + scale);
    }
}
