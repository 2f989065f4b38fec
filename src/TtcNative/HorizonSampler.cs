namespace TtcNative;

/// <summary>
/// The training horizon (DESIGN.md §5): lambda_T ~ LogNormal(Mu, Sigma), then T ~ Poisson(lambda_T), redrawn until
/// Min &lt;= T &lt;= Max, from a seeded generator. Defaults: Mu = ln 8 - 0.005, Sigma = 0.1, Min = 1, Max = 32.
/// </summary>
public sealed class HorizonSampler
{
    readonly Random _rng;

    public HorizonSampler(int seed, double? mu = null, double sigma = 0.1, int min = 1, int max = 32)
    {
        if (sigma < 0) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be >= 0");
        if (min < 0 || max < min) throw new ArgumentException($"need 0 <= min <= max, got min = {min}, max = {max}", nameof(min));
        _rng = new Random(seed);
        Mu = mu ?? Math.Log(8) - 0.005;
        Sigma = sigma;
        Min = min;
        Max = max;
    }

    public double Mu { get; }
    public double Sigma { get; }
    public int Min { get; }
    public int Max { get; }

    public int Next()
    {
        for (var attempt = 0; attempt < 100_000; ++attempt)
        {
            var lambda = Math.Exp(Mu + Sigma * StandardNormal());
            var t = Poisson(lambda);
            if (t >= Min && t <= Max) return t;
        }
        throw new InvalidOperationException(
            $"no horizon in [{Min}, {Max}] after 100000 draws from Poisson(LogNormal({Mu}, {Sigma}))");
    }

    double StandardNormal()
    {
        var u1 = 1.0 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // Knuth's product of uniforms; lambda here is small (about 8).
    int Poisson(double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = _rng.NextDouble(); p > limit; p *= _rng.NextDouble()) ++k;
        return k;
    }
}
