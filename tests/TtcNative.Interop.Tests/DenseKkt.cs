using MathNet.Numerics.LinearAlgebra;
using TtcNative.Interop;

namespace TtcNative.Interop.Tests;

/// <summary>
/// An independent reference from E1-E2: the dense KKT system of one problem (unknowns u_1..u_T, h_1..h_T and the
/// multipliers nu_1..nu_T of A_t h_{t-1} + B_t u_t - h_t = 0, which are the costates), solved by MathNet's LU, and
/// implicit gradients dL/dtheta = -w' dF/dtheta with K w = dL/ds.
/// </summary>
public sealed class DenseKkt
{
    readonly LqrArrays _p;
    readonly int _T, _n, _m, _D;
    readonly MathNet.Numerics.LinearAlgebra.Factorization.LU<double> _lu;
    readonly Vector<double> _s;

    public DenseKkt(LqrArrays p)
    {
        _p = p;
        (_T, _n, _m) = (p.T, p.N, p.M);
        _D = _T * (_m + 2 * _n);
        var K = Matrix<double>.Build.Dense(_D, _D);
        for (var t = 0; t < _T; ++t)
        {
            for (var j = 0; j < _m; ++j) K[U(t, j), U(t, j)] = p.Rho[t * _m + j];
            for (var i = 0; i < _n; ++i)
            {
                for (var j = 0; j < _m; ++j)
                {
                    K[U(t, j), Nu(t, i)] = p.B[(t * _n + i) * _m + j];
                    K[Nu(t, i), U(t, j)] = p.B[(t * _n + i) * _m + j];
                }
                for (var j = 0; j < _n; ++j)
                    K[H(t, i), H(t, j)] = 0.5 * (p.Q[(t * _n + i) * _n + j] + p.Q[(t * _n + j) * _n + i]);
                K[H(t, i), Nu(t, i)] = -1;
                K[Nu(t, i), H(t, i)] = -1;
                if (t + 1 < _T)
                {
                    K[H(t, i), Nu(t + 1, i)] = p.A[(t + 1) * _n + i];
                    K[Nu(t + 1, i), H(t, i)] = p.A[(t + 1) * _n + i];
                }
            }
        }
        _lu = K.LU();
        _s = _lu.Solve(Rhs(p.H0, linear: true));
    }

    int U(int t, int j) => t * _m + j;
    int H(int t, int i) => _T * _m + t * _n + i;
    int Nu(int t, int i) => _T * (_m + _n) + t * _n + i;

    Vector<double> Rhs(double[] h0, bool linear)
    {
        var b = Vector<double>.Build.Dense(_D);
        for (var t = 0; t < _T && linear; ++t)
        {
            for (var j = 0; j < _m; ++j) b[U(t, j)] = -(_p.RLinear?[t * _m + j] ?? 0);
            for (var i = 0; i < _n; ++i) b[H(t, i)] = -(_p.QLinear?[t * _n + i] ?? 0);
        }
        for (var i = 0; i < _n; ++i) b[Nu(0, i)] = -_p.A[i] * h0[i];
        return b;
    }

    public double[] Controls => Enumerable.Range(0, _T * _m).Select(k => _s[k]).ToArray();

    public double[] States => _p.H0.Concat(Enumerable.Range(0, _T * _n).Select(k => _s[_T * _m + k])).ToArray();

    /// <summary>P_0 = d lambda_0 / d h_0 with lambda_0 = A_1' lambda_1, from unit initial states without linear costs.</summary>
    public double[] P0()
    {
        var P = new double[_n * _n];
        for (var j = 0; j < _n; ++j)
        {
            var e = new double[_n];
            e[j] = 1;
            var s = _lu.Solve(Rhs(e, linear: false));
            for (var i = 0; i < _n; ++i) P[i * _n + j] = _p.A[i] * s[Nu(0, i)];
        }
        return P;
    }

    /// <summary>Implicit gradients of L = &lt;gradU1, u_1&gt; for every input.</summary>
    public LqrArrayGradients Gradients(double[] gradU1)
    {
        var c = Vector<double>.Build.Dense(_D);
        for (var j = 0; j < _m; ++j) c[U(0, j)] = gradU1[j];
        var w = _lu.Solve(c);
        var s = _s;
        double[] ga = new double[_T * _n], gb = new double[_T * _n * _m], gq = new double[_T * _n * _n],
            grho = new double[_T * _m], gh0 = new double[_n], gql = new double[_T * _n], grl = new double[_T * _m];
        for (var t = 0; t < _T; ++t)
        {
            for (var j = 0; j < _m; ++j)
            {
                grho[t * _m + j] = -w[U(t, j)] * s[U(t, j)];
                grl[t * _m + j] = -w[U(t, j)];
            }
            for (var i = 0; i < _n; ++i)
            {
                for (var j = 0; j < _m; ++j)
                    gb[(t * _n + i) * _m + j] = -(w[U(t, j)] * s[Nu(t, i)] + w[Nu(t, i)] * s[U(t, j)]);
                for (var j = 0; j < _n; ++j)
                    gq[(t * _n + i) * _n + j] = -0.5 * (w[H(t, i)] * s[H(t, j)] + w[H(t, j)] * s[H(t, i)]);
                gql[t * _n + i] = -w[H(t, i)];
                var hPrev = t == 0 ? _p.H0[i] : s[H(t - 1, i)];
                ga[t * _n + i] = -w[Nu(t, i)] * hPrev - (t > 0 ? w[H(t - 1, i)] * s[Nu(t, i)] : 0);
            }
        }
        for (var i = 0; i < _n; ++i) gh0[i] = -w[Nu(0, i)] * _p.A[i];
        return new LqrArrayGradients(ga, gb, gq, grho, gh0, gql, grl);
    }
}
