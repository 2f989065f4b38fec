using System.Globalization;
using System.Text;
using System.Text.Json;
using TtcNative.Cli;
using Xunit;

namespace TtcNative.Interop.Tests;

/// <summary>`ttc solve` end to end: JSON in, JSON out, against the independent dense-KKT reference.</summary>
public sealed class CliSolveTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ttc-solve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Json(IEnumerable<(LqrArrays P, double[]? GradU1)> problems)
    {
        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string Vec(double[] v, int offset, int len) => "[" + string.Join(",", Enumerable.Range(offset, len).Select(i => Num(v[i]))) + "]";
        string Mat(double[] v, int offset, int rows, int cols) =>
            "[" + string.Join(",", Enumerable.Range(0, rows).Select(i => Vec(v, offset + i * cols, cols))) + "]";
        string Ten(double[] v, int d0, int d1, int d2) =>
            "[" + string.Join(",", Enumerable.Range(0, d0).Select(t => Mat(v, t * d1 * d2, d1, d2))) + "]";
        var sb = new StringBuilder("{\"problems\":[");
        sb.AppendJoin(",", problems.Select(x =>
        {
            var p = x.P;
            var fields = new List<string>
            {
                $"\"a\":{Mat(p.A, 0, p.T, p.N)}", $"\"B\":{Ten(p.B, p.T, p.N, p.M)}", $"\"Q\":{Ten(p.Q, p.T, p.N, p.N)}",
                $"\"rho\":{Mat(p.Rho, 0, p.T, p.M)}", $"\"h0\":{Vec(p.H0, 0, p.N)}",
            };
            if (p.QLinear != null) fields.Add($"\"q\":{Mat(p.QLinear, 0, p.T, p.N)}");
            if (p.RLinear != null) fields.Add($"\"r\":{Mat(p.RLinear, 0, p.T, p.M)}");
            if (x.GradU1 != null) fields.Add($"\"grad_u1\":{Vec(x.GradU1, 0, p.M)}");
            return "{" + string.Join(",", fields) + "}";
        }));
        return sb.Append("]}").ToString();
    }

    (int Code, string Stderr, string Output) Solve(string json, params string[] extra)
    {
        var input = Path.Combine(_dir, "in.json");
        var output = Path.Combine(_dir, "out.json");
        File.WriteAllText(input, json);
        File.Delete(output);
        var stderr = new StringWriter();
        var code = CliApp.Run(["solve", "--input", input, "--output", output, .. extra], new StringWriter(), stderr);
        return (code, stderr.ToString(), output);
    }

    static double[] Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flatten).ToArray()
        : [e.GetDouble()];

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 16, 4, 2)]
    [InlineData(3, 64, 3, 5)]
    [InlineData(4, 256, 2, 1)]
    [InlineData(5, 128, 3, 2)]
    public void AgreesWithDenseKktOnSolutionAndGradients(int seed, int T, int n, int m)
    {
        var problems = Enumerable.Range(0, 2).Select(k =>
        {
            var p = RandomProblems.Draw(seed * 10 + k, T, n, m, 0.2, 1.8, linear: k == 0);
            var rng = new Random(seed + k);
            return (p, Enumerable.Range(0, m).Select(_ => rng.NextDouble() - 0.5).ToArray());
        }).ToList();
        var (code, stderr, output) = Solve(Json(problems.Select(x => (x.p, (double[]?)x.Item2))));
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var solutions = doc.RootElement.GetProperty("solutions");
        Assert.Equal(problems.Count, solutions.GetArrayLength());
        for (var k = 0; k < problems.Count; ++k)
        {
            var (p, gradU1) = problems[k];
            var kkt = new DenseKkt(p);
            var s = solutions[k];
            Assert.True(RandomProblems.RelError(Flatten(s.GetProperty("u")), kkt.Controls) <= 1e-9, $"u of problem {k}");
            Assert.True(RandomProblems.RelError(Flatten(s.GetProperty("h")), kkt.States) <= 1e-9, $"h of problem {k}");
            Assert.True(RandomProblems.RelError(Flatten(s.GetProperty("P0")), kkt.P0()) <= 1e-9, $"P0 of problem {k}");
            var g = s.GetProperty("grad");
            var reference = kkt.Gradients(gradU1);
            foreach (var (name, expected) in new[] { ("a", reference.A), ("B", reference.B), ("Q", reference.Q),
                         ("rho", reference.Rho), ("h0", reference.H0), ("q", reference.QLinear), ("r", reference.RLinear) })
            {
                var error = RandomProblems.RelError(Flatten(g.GetProperty(name)), expected);
                Assert.True(error <= 1e-7, $"grad {name} of problem {k}: {error:E2}");
            }
        }
    }

    [Fact]
    public void DoublesRoundTripAndTheGradientIsOmittedWithoutUpstream()
    {
        var p = RandomProblems.Draw(9, 12, 3, 2, 0.75, 1.25, linear: true);
        var (code, stderr, output) = Solve(Json([(p, null)]), "--solver", "riccati");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var s = doc.RootElement.GetProperty("solutions")[0];
        Assert.Equal(DenseLqr.Solve(p, TtcSolver.Riccati).U, Flatten(s.GetProperty("u")));
        Assert.False(s.TryGetProperty("grad", out _));
        Assert.Equal(13, s.GetProperty("lambda").GetArrayLength());
    }

    [Fact]
    public void Float32MeetsItsTolerance()
    {
        var p = RandomProblems.Draw(21, 64, 4, 3, 0.75, 1.25, linear: false);
        var (code, stderr, output) = Solve(Json([(p, null)]), "--dtype", "float32");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var error = RandomProblems.RelError(Flatten(doc.RootElement.GetProperty("solutions")[0].GetProperty("u")),
            new DenseKkt(p).Controls);
        Assert.True(error <= 1e-4, $"f32 error {error:E2}");
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "{\"problems\":[", "not valid JSON" },
        { "{\"problems\":[{\"a\":[[1]],\"B\":[[[1]]],\"Q\":[[[1]]],\"h0\":[1]}]}", "problem 0, field 'rho': missing" },
        { "{\"problems\":[{\"a\":[[1,1]],\"B\":[[[1],[1]]],\"Q\":[[[1,0],[0,1]]],\"rho\":[[1]],\"h0\":[1]}]}",
            "problem 0, field 'h0': expected 2 numbers ([n]), got 1 at $.problems[0].h0" },
        { "{\"problems\":[{\"a\":[[1]],\"B\":[[[1]]],\"Q\":[[[1]]],\"rho\":[[1]],\"h0\":[1]},{\"a\":[[1]],\"B\":[[[1]]],\"Q\":[[[\"NaN\"]]],\"rho\":[[1]],\"h0\":[1]}]}",
            "problem 1, field 'Q': NaN is not finite; values must be finite at $.problems[1].Q[0][0][0]" },
        { "{\"problems\":[{\"a\":[[1]],\"B\":[[[1]]],\"Q\":[[[1]]],\"rho\":[[0]],\"h0\":[1]}]}",
            "problem 0, field 'rho': $.problems[0].rho[0][0] = 0; rho must be > 0" },
        { "{\"problems\":[{\"a\":[[1]],\"B\":[[[1]]],\"Q\":[[[1]]],\"rho\":[[1]],\"h0\":[1],\"grad_u1\":[1,2]}]}",
            "problem 0, field 'grad_u1': expected 1 numbers" },
        { "{\"problems\":[{\"a\":[[1]],\"B\":[[[1]]],\"Q\":[[[-1]]],\"rho\":[[1]],\"h0\":[1]}]}", "problem 0: " },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputExitsWithCodeTwoAndOneLineAndWritesNothing(string json, string expected)
    {
        var (code, stderr, output) = Solve(json);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void UnknownSolverAndMissingFileAreOneLineErrors()
    {
        var (code, stderr, _) = Solve("{}", "--solver", "newton");
        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var err = new StringWriter();
        Assert.Equal(2, CliApp.Run(["solve", "--input", Path.Combine(_dir, "missing.json"), "--output", "x.json"], new StringWriter(), err));
        Assert.Contains("cannot read", err.ToString());
    }
}
