using System.Text.Json.Nodes;
using TtcNative.Cli;
using Xunit;

namespace TtcNative.Tests;

/// <summary>`ttc bench`: the mechanics (what it times and writes, and its refusals), not the figures.</summary>
public sealed class CliBenchTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ttc-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    static (int Code, string Err) Run(params string[] args)
    {
        var error = new StringWriter();
        var code = CliApp.Run(args, new StringWriter(), error);
        return (code, error.ToString());
    }

    [Fact]
    public void TimesEverySolverHorizonAndDtypeIntoJson()
    {
        var path = Path.Combine(_dir, "bench.json");
        var (code, err) = Run("bench", "--n", "3", "--m", "2", "--batch", "5", "--heads", "2", "--horizons", "2,5", "--reps", "1",
            "--json", path);
        Assert.True(code == 0, err);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(3, (int)json["n"]!);
        Assert.Equal(2, (int)json["heads"]!);
        var timings = json["timings"]!.AsArray();
        Assert.Equal(2 * 2 * 3, timings.Count);
        Assert.Equal(new[] { "riccati", "symplectic", "torch" }, timings.Select(t => (string)t!["solver"]!).Distinct().Order());
        Assert.Equal(new[] { 2, 5 }, timings.Select(t => (int)t!["T"]!).Distinct().Order());
        Assert.Equal(new[] { "float32", "float64" }, timings.Select(t => (string)t!["dtype"]!).Distinct().Order());
        foreach (var t in timings)
        {
            foreach (var field in new[] { "forward_ms", "forward_backward_ms", "forward_gflops", "forward_backward_speedup_vs_torch" })
                Assert.True(double.IsFinite((double)t![field]!) && (double)t[field]! > 0, $"{field} of {t.ToJsonString()}");
            Assert.True((double)t!["forward_backward_spread"]! >= 0);
            if ((string)t!["solver"]! == "torch") Assert.Equal(1.0, (double)t["forward_backward_speedup_vs_torch"]!);
        }
    }

    [Fact]
    public void BadOptionsExitWithTwoInOneLineAndWriteNothing()
    {
        var path = Path.Combine(_dir, "bench.json");
        foreach (var (option, value, says) in new[]
                 {
                     ("--reps", "0", "--reps must be >= 1"), ("--n", "0", "--n must be >= 1"), ("--batch", "-2", "--batch must be >= 1"),
                     ("--horizons", "0,8", "--horizons must be a comma-separated list of positive integers"),
                     ("--horizons", "eight", "--horizons must be a comma-separated list of positive integers"),
                     ("--solvers", "symplectic,magic", "unknown solver 'magic'"), ("--solvers", ",", "must name at least one"),
                     ("--threads", "0", "--threads must be >= 1"), ("--dtype", "float16", "float16"),
                     ("--batch", "2000000000", "lower --batch, --heads, --n or --horizons, or leave torch out"),
                 })
        {
            var (code, err) = Run("bench", option, value, "--json", path);
            Assert.Equal(2, code);
            Assert.Contains(says, err);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.False(File.Exists(path), $"{option} {value} wrote {path}");
        }
    }
}
