namespace TtcNative.Interop;

/// <summary>One explicit-form problem in plain row-major arrays (DESIGN.md §0 index conventions).</summary>
public sealed record LqrArrays(int T, int N, int M, double[] A, double[] B, double[] Q, double[] Rho, double[] H0,
    double[]? QLinear = null, double[]? RLinear = null);

/// <summary>The solution of one problem: u [T*m], h [(T+1)*n], lambda [(T+1)*n], P_0 [n*n].</summary>
public sealed record LqrArraySolution(double[] U, double[] H, double[] Lambda, double[] P0);

/// <summary>Gradients of one problem's inputs, in the inputs' layouts.</summary>
public sealed record LqrArrayGradients(double[] A, double[] B, double[] Q, double[] Rho, double[] H0, double[] QLinear,
    double[] RLinear);

/// <summary>
/// The explicit form on plain arrays, without TorchSharp: what `ttc solve` and host-side tests use. The f32 path rounds
/// the inputs to float and widens the results.
/// </summary>
public static unsafe class DenseLqr
{
    public static LqrArraySolution Solve(LqrArrays p, TtcSolver solver = TtcSolver.Symplectic, TtcDtype dtype = TtcDtype.F64) =>
        dtype == TtcDtype.F64 ? Solve<double>(p, solver) : Solve<float>(p, solver);

    /// <summary>Gradients of L = &lt;gradU, u_{1..Tu}&gt; + &lt;gradH, h_{1..Th}&gt; (gradU: [Tu*m], gradH: [Th*n]).</summary>
    public static LqrArrayGradients Gradients(LqrArrays p, double[] gradU, double[]? gradH = null,
        TtcSolver solver = TtcSolver.Symplectic, TtcDtype dtype = TtcDtype.F64) =>
        dtype == TtcDtype.F64 ? Gradients<double>(p, gradU, gradH ?? [], solver) : Gradients<float>(p, gradU, gradH ?? [], solver);

    static LqrArraySolution Solve<TElem>(LqrArrays p, TtcSolver solver) where TElem : unmanaged
    {
        TtcLibrary.EnsureLoaded();
        var x = new Typed<TElem>(p);
        int T = p.T, n = p.N, m = p.M;
        TElem[] u = new TElem[T * m], h = new TElem[(T + 1) * n], lam = new TElem[(T + 1) * n], p0 = new TElem[n * n];
        fixed (TElem* pa = x.A, pb = x.B, pq = x.Q, prho = x.Rho, ph0 = x.H0, pql = x.QLinear, prl = x.RLinear)
        fixed (TElem* pu = u, ph = h, plam = lam, pp0 = p0)
        {
            var problem = x.Describe(pa, pb, pq, prho, ph0, pql, prl);
            var solution = new TtcSolution
            {
                u = TensorDescriptor.Dense(pu, [1, 1, T, m], u.Length),
                h = TensorDescriptor.Dense(ph, [1, 1, T + 1, n], h.Length),
                lambda = TensorDescriptor.Dense(plam, [1, 1, T + 1, n], lam.Length),
                P0 = TensorDescriptor.Dense(pp0, [1, 1, n, n], p0.Length),
            };
            var options = new TtcOptions { solver = (int)solver };
            var status = typeof(TElem) == typeof(double)
                ? TtcNativeMethods.ttc_explicit_forward_f64(&problem, &options, &solution)
                : TtcNativeMethods.ttc_explicit_forward_f32(&problem, &options, &solution);
            TtcLibrary.Check(status, "ttc_explicit_forward");
        }
        return new LqrArraySolution(Widen(u), Widen(h), Widen(lam), Widen(p0));
    }

    static LqrArrayGradients Gradients<TElem>(LqrArrays p, double[] gradU, double[] gradH, TtcSolver solver)
        where TElem : unmanaged
    {
        TtcLibrary.EnsureLoaded();
        var x = new Typed<TElem>(p);
        int T = p.T, n = p.N, m = p.M;
        if (gradU.Length % m != 0 || gradU.Length / m > T)
            throw new ArgumentException($"gradU must hold Tu*m values with Tu <= T = {T}, m = {m}; got {gradU.Length}", nameof(gradU));
        if (gradH.Length % n != 0 || gradH.Length / n > T)
            throw new ArgumentException($"gradH must hold Th*n values with Th <= T = {T}, n = {n}; got {gradH.Length}", nameof(gradH));
        TElem[] gu = Narrow<TElem>(gradU), gh = Narrow<TElem>(gradH);
        TElem[] ga = new TElem[T * n], gb = new TElem[T * n * m], gq = new TElem[T * n * n], grho = new TElem[T * m],
            gh0 = new TElem[n], gql = new TElem[T * n], grl = new TElem[T * m];
        fixed (TElem* pa = x.A, pb = x.B, pq = x.Q, prho = x.Rho, ph0 = x.H0, pql = x.QLinear, prl = x.RLinear)
        fixed (TElem* pgu = gu, pgh = gh, pga = ga, pgb = gb, pgq = gq, pgrho = grho, pgh0 = gh0, pgql = gql, pgrl = grl)
        {
            var problem = x.Describe(pa, pb, pq, prho, ph0, pql, prl);
            var upstream = new TtcUpstream
            {
                grad_u = TensorDescriptor.Dense(pgu, [1, 1, gu.Length / m, m], gu.Length),
                grad_h = TensorDescriptor.Dense(pgh, [1, 1, gh.Length / n, n], gh.Length),
            };
            var grads = new TtcExplicitGrads
            {
                a = TensorDescriptor.Dense(pga, [1, 1, T, n], ga.Length),
                B = TensorDescriptor.Dense(pgb, [1, 1, T, n, m], gb.Length),
                Q = TensorDescriptor.Dense(pgq, [1, 1, T, n, n], gq.Length),
                rho = TensorDescriptor.Dense(pgrho, [1, 1, T, m], grho.Length),
                h0 = TensorDescriptor.Dense(pgh0, [1, 1, n], gh0.Length),
                q = TensorDescriptor.Dense(pgql, [1, 1, T, n], gql.Length),
                r = TensorDescriptor.Dense(pgrl, [1, 1, T, m], grl.Length),
            };
            var options = new TtcOptions { solver = (int)solver };
            var status = typeof(TElem) == typeof(double)
                ? TtcNativeMethods.ttc_explicit_backward_f64(&problem, &options, &upstream, &grads)
                : TtcNativeMethods.ttc_explicit_backward_f32(&problem, &options, &upstream, &grads);
            TtcLibrary.Check(status, "ttc_explicit_backward");
        }
        return new LqrArrayGradients(Widen(ga), Widen(gb), Widen(gq), Widen(grho), Widen(gh0), Widen(gql), Widen(grl));
    }

    static double[] Widen<TElem>(TElem[] v) where TElem : unmanaged =>
        v is double[] d ? d : Array.ConvertAll((float[])(object)v, f => (double)f);

    static TElem[] Narrow<TElem>(double[] v) where TElem : unmanaged =>
        typeof(TElem) == typeof(double) ? (TElem[])(object)v.ToArray() : (TElem[])(object)Array.ConvertAll(v, d => (float)d);

    /// <summary>The inputs in the element type, and their descriptors as a batch of one.</summary>
    sealed class Typed<TElem> where TElem : unmanaged
    {
        public readonly TElem[] A, B, Q, Rho, H0, QLinear, RLinear;
        readonly int _T, _n, _m;
        readonly bool _hasQ, _hasR;

        public Typed(LqrArrays p)
        {
            _T = p.T;
            _n = p.N;
            _m = p.M;
            Check(p.A, p.T * p.N, "A");
            Check(p.B, p.T * p.N * p.M, "B");
            Check(p.Q, p.T * p.N * p.N, "Q");
            Check(p.Rho, p.T * p.M, "Rho");
            Check(p.H0, p.N, "H0");
            if (p.QLinear != null) Check(p.QLinear, p.T * p.N, "QLinear");
            if (p.RLinear != null) Check(p.RLinear, p.T * p.M, "RLinear");
            A = Narrow<TElem>(p.A);
            B = Narrow<TElem>(p.B);
            Q = Narrow<TElem>(p.Q);
            Rho = Narrow<TElem>(p.Rho);
            H0 = Narrow<TElem>(p.H0);
            _hasQ = p.QLinear != null;
            _hasR = p.RLinear != null;
            QLinear = Narrow<TElem>(p.QLinear ?? []);
            RLinear = Narrow<TElem>(p.RLinear ?? []);
        }

        static void Check(double[] v, int expected, string name)
        {
            if (v.Length != expected)
                throw new ArgumentException($"{name} must hold {expected} values, got {v.Length}", name);
        }

        public TtcExplicitProblem Describe(TElem* a, TElem* b, TElem* q, TElem* rho, TElem* h0, TElem* ql, TElem* rl) => new()
        {
            a = TensorDescriptor.Dense(a, [1, 1, _T, _n], A.Length),
            B = TensorDescriptor.Dense(b, [1, 1, _T, _n, _m], B.Length),
            Q = TensorDescriptor.Dense(q, [1, 1, _T, _n, _n], Q.Length),
            rho = TensorDescriptor.Dense(rho, [1, 1, _T, _m], Rho.Length),
            h0 = TensorDescriptor.Dense(h0, [1, 1, _n], H0.Length),
            q = _hasQ ? TensorDescriptor.Dense(ql, [1, 1, _T, _n], QLinear.Length) : TensorDescriptor.Absent,
            r = _hasR ? TensorDescriptor.Dense(rl, [1, 1, _T, _m], RLinear.Length) : TensorDescriptor.Absent,
        };
    }
}
