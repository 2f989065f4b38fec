using Xunit;

namespace TtcNative.Interop.Tests;

public class ErrorTests
{
    static LqrArrays Scalar(double a = 1, double b = 1, double q = 1, double rho = 1) =>
        new(1, 1, 1, [a], [b], [q], [rho], [1.0]);

    [Fact]
    public void NativeValidationBecomesATypedExceptionNamingTheArgument()
    {
        var e = Assert.Throws<TtcNativeException>(() => DenseLqr.Solve(Scalar(rho: -1)));
        Assert.Equal(TtcStatus.NonPositiveRho, e.Status);
        Assert.Equal("rho", e.ArgumentName);
        Assert.Equal(0, e.BatchIndex);
        Assert.Contains("rho must be > 0", e.Message);
    }

    [Fact]
    public void ZeroDiagonalAndNonConvexCarryTheirStatus()
    {
        Assert.Equal(TtcStatus.ZeroDiagonal, Assert.Throws<TtcNativeException>(() => DenseLqr.Solve(Scalar(a: 0))).Status);
        foreach (var solver in new[] { TtcSolver.Symplectic, TtcSolver.Riccati })
        {
            var e = Assert.Throws<TtcNativeException>(() => DenseLqr.Solve(Scalar(q: -1), solver));
            Assert.Equal(TtcStatus.NotConvex, e.Status);
            Assert.Equal(0, e.BatchIndex);
        }
    }

    [Fact]
    public void ArrayLengthsAreCheckedBeforeTheNativeCall()
    {
        var bad = Scalar() with { B = [1.0, 2.0] };
        var e = Assert.Throws<ArgumentException>(() => DenseLqr.Solve(bad));
        Assert.Equal("B", e.ParamName);
    }

    [Fact]
    public void ThreadCountRejectsZero()
    {
        var e = Assert.Throws<TtcNativeException>(() => TtcLibrary.ThreadCount = 0);
        Assert.Equal(TtcStatus.InvalidArgument, e.Status);
        Assert.Equal("num_threads", e.ArgumentName);
        Assert.True(TtcLibrary.ThreadCount >= 1);
    }
}
