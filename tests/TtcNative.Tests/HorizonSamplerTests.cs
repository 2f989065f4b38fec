using Xunit;

namespace TtcNative.Tests;

public class HorizonSamplerTests
{
    [Fact]
    public void DrawsAreSeededBoundedAndCentredNearEight()
    {
        var a = new HorizonSampler(seed: 11);
        var b = new HorizonSampler(seed: 11);
        var draws = Enumerable.Range(0, 20_000).Select(_ => a.Next()).ToList();
        Assert.Equal(draws.Take(100), Enumerable.Range(0, 100).Select(_ => b.Next()));
        Assert.All(draws, t => Assert.InRange(t, 1, 32));
        Assert.InRange(draws.Average(), 7.6, 8.4);
        // Poisson(8) has variance 8; the log-normal rate adds about 0.64.
        var mean = draws.Average();
        Assert.InRange(draws.Average(t => (t - mean) * (t - mean)), 7.5, 10.0);
    }

    [Fact]
    public void BoundsAreConfigurable()
    {
        var s = new HorizonSampler(seed: 3, min: 10, max: 12);
        Assert.All(Enumerable.Range(0, 500).Select(_ => s.Next()), t => Assert.InRange(t, 10, 12));
        Assert.Throws<ArgumentException>(() => new HorizonSampler(seed: 1, min: 5, max: 4));
    }
}
