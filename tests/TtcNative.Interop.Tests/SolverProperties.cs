using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace TtcNative.Interop.Tests;

/// <summary>Properties on random problems generated from C#: native symplectic = native Riccati (DESIGN.md §0).</summary>
public class SolverProperties
{
    public sealed record ProblemCase(int Seed, int T, int N, int M, bool WideA, bool Linear);

    static Arbitrary<ProblemCase> Cases() =>
        (from seed in Gen.Choose(0, 1_000_000)
         from T in Gen.Choose(0, 64)
         from n in Gen.Choose(1, 10)
         from m in Gen.Choose(1, 10)
         from wide in Gen.Elements(true, false)
         from linear in Gen.Elements(true, false)
         select new ProblemCase(seed, T, n, m, wide, linear)).ToArbitrary();

    static LqrArrays Problem(ProblemCase c) =>
        RandomProblems.Draw(c.Seed, c.T, c.N, c.M, c.WideA ? 0.2 : 0.75, c.WideA ? 1.8 : 1.25, c.Linear);

    [Property(MaxTest = 80)]
    public Property SymplecticEqualsRiccatiForward() => Prop.ForAll(Cases(), c =>
    {
        var p = Problem(c);
        var s = DenseLqr.Solve(p, TtcSolver.Symplectic);
        var r = DenseLqr.Solve(p, TtcSolver.Riccati);
        var error = new[] { RandomProblems.RelError(s.U, r.U), RandomProblems.RelError(s.H, r.H),
            RandomProblems.RelError(s.Lambda, r.Lambda), RandomProblems.RelError(s.P0, r.P0) }.Max();
        return (error <= 1e-10).Label($"forward error {error:E2}");
    });

    [Property(MaxTest = 80)]
    public Property SymplecticEqualsRiccatiGradients() => Prop.ForAll(Cases(), c =>
    {
        var p = Problem(c);
        var rng = new Random(c.Seed + 1);
        var gradU = Enumerable.Range(0, Math.Min(c.T, 3) * c.M).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var s = DenseLqr.Gradients(p, gradU, null, TtcSolver.Symplectic);
        var r = DenseLqr.Gradients(p, gradU, null, TtcSolver.Riccati);
        var error = new[] { RandomProblems.RelError(s.A, r.A), RandomProblems.RelError(s.B, r.B),
            RandomProblems.RelError(s.Q, r.Q), RandomProblems.RelError(s.Rho, r.Rho), RandomProblems.RelError(s.H0, r.H0),
            RandomProblems.RelError(s.QLinear, r.QLinear), RandomProblems.RelError(s.RLinear, r.RLinear) }.Max();
        return (error <= 1e-9).Label($"gradient error {error:E2}");
    });
}
