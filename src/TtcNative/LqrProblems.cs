using TtcNative.Interop;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>Solver options (DESIGN.md §3).</summary>
/// <remarks>
/// <c>SaveStates</c>: with the symplectic solver and checkpoint storage, when a backward can follow (grad mode on and an
/// input requiring grad), <see cref="LqrFunction.FirstControl"/> keeps its forward's sweep states (ttc_options.saved, <see cref="Lqr.SavedStates"/>) for its backward, which then skips the sweep
/// of the whole horizon that it would otherwise run first: O(sqrt(T) n^2) bytes per problem, held by the autograd graph.
/// The gradients are bitwise the same either way. With full storage FirstControl keeps none: there the states are
/// O(T n^2) per problem, copying them costs about what they save, and the backward's own workspace already holds as
/// much (docs/BENCHMARKS.md, "Saved sweep states"); <see cref="Lqr.Solve(DiscountedLqr, long, LqrOptions?, bool, bool, Tensor?)"/>
/// still takes a buffer for either storage.
/// </remarks>
public sealed record LqrOptions(TtcSolver Solver = TtcSolver.Symplectic, TtcStorage Storage = TtcStorage.Checkpoints,
    bool SaveStates = true)
{
    public static LqrOptions Default { get; } = new();

    internal TtcOptions Native => new() { solver = (int)Solver, storage = (int)Storage };
}

/// <summary>
/// The discounted form (E3), batched over N tokens and H heads: A [N,H,n], LogGammaA [N,H], B [N,n,m] (shared by the
/// heads of a token) or [N,H,n,m], LogGammaB [N,H,m], Q [N,n,n] (shared) or [N,H,n,n], LogGammaQ [N,H,n],
/// Qf [N,H,n,n], Rho [N,H,m], H0 [N,H,n].
/// </summary>
public sealed record DiscountedLqr(Tensor A, Tensor LogGammaA, Tensor B, Tensor LogGammaB, Tensor Q, Tensor LogGammaQ,
    Tensor Qf, Tensor Rho, Tensor H0)
{
    public long Tokens => A.shape[0];
    public long Heads => A.shape.Length > 1 ? A.shape[1] : 0;
    public long N => A.shape.Length > 2 ? A.shape[2] : 0;
    public long M => Rho.shape.Length > 2 ? Rho.shape[2] : 0;
    public bool SharedB => B.dim() == 3;
    public bool SharedQ => Q.dim() == 3;

    public Tensor[] Tensors => [A, LogGammaA, B, LogGammaB, Q, LogGammaQ, Qf, Rho, H0];

    public static readonly string[] Names = ["a", "log_gamma_a", "B", "log_gamma_b", "Q", "log_gamma_q", "Qf", "rho", "h0"];

    /// <summary>The problem whose tensors are <paramref name="t"/>, in the order of <see cref="Tensors"/>.</summary>
    public static DiscountedLqr From(IReadOnlyList<Tensor> t) => new(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]);

    /// <summary>The same problem as fresh autograd leaves (detached, requiring grad), so no gradient accumulates across calls.</summary>
    public DiscountedLqr Leaves() => From(Tensors.Select(t => t.detach().requires_grad_(true)).ToArray());

    /// <summary>
    /// DESIGN.md §7's useful work of one sweep over T steps: 2n³ + n²m multiply-adds a step and problem, two FLOPs each.
    /// </summary>
    public static double UsefulSweepFlops(long n, long m, long T, long problems) =>
        2.0 * (2.0 * n * n * n + (double)n * n * m) * T * problems;

    /// <summary>Checks dtype, device and shapes; returns the common dtype.</summary>
    internal ScalarType Validate(long T)
    {
        if (T < 0) throw new ArgumentOutOfRangeException(nameof(T), T, "the horizon T must be >= 0");
        var dtype = TensorArguments.CheckDtype(A, "a");
        TensorArguments.Check(A, "a", dtype, [-1, -1, -1], "[N, H, n]");
        long n = N, h = Heads, tok = Tokens;
        TensorArguments.Check(Rho, "rho", dtype, [tok, h, -1], "[N, H, m]");
        var m = M;
        TensorArguments.Check(LogGammaA, "log_gamma_a", dtype, [tok, h], "[N, H]");
        if (SharedB) TensorArguments.Check(B, "B", dtype, [tok, n, m], "[N, n, m]");
        else TensorArguments.Check(B, "B", dtype, [tok, h, n, m], "[N, H, n, m]");
        TensorArguments.Check(LogGammaB, "log_gamma_b", dtype, [tok, h, m], "[N, H, m]");
        if (SharedQ) TensorArguments.Check(Q, "Q", dtype, [tok, n, n], "[N, n, n]");
        else TensorArguments.Check(Q, "Q", dtype, [tok, h, n, n], "[N, H, n, n]");
        TensorArguments.Check(LogGammaQ, "log_gamma_q", dtype, [tok, h, n], "[N, H, n]");
        TensorArguments.Check(Qf, "Qf", dtype, [tok, h, n, n], "[N, H, n, n]");
        TensorArguments.Check(H0, "h0", dtype, [tok, h, n], "[N, H, n]");
        return dtype;
    }

    internal TtcDiscountedProblem Describe(long T) => new()
    {
        T = T,
        a = NativeTensors.Describe(A),
        log_gamma_a = NativeTensors.Describe(LogGammaA),
        B = SharedB ? NativeTensors.DescribeSharedOverHeads(B, Heads) : NativeTensors.Describe(B),
        log_gamma_b = NativeTensors.Describe(LogGammaB),
        Q = SharedQ ? NativeTensors.DescribeSharedOverHeads(Q, Heads) : NativeTensors.Describe(Q),
        log_gamma_q = NativeTensors.Describe(LogGammaQ),
        Qf = NativeTensors.Describe(Qf),
        rho = NativeTensors.Describe(Rho),
        h0 = NativeTensors.Describe(H0),
    };
}

/// <summary>
/// The explicit form: A [N,H,T,n], B [N,T,n,m] (shared by heads) or [N,H,T,n,m], Q [N,T,n,n] (shared) or
/// [N,H,T,n,n], Rho [N,H,T,m], H0 [N,H,n], and optional linear costs QLinear [N,H,T,n] and RLinear [N,H,T,m].
/// </summary>
public sealed record ExplicitLqr(Tensor A, Tensor B, Tensor Q, Tensor Rho, Tensor H0, Tensor? QLinear = null,
    Tensor? RLinear = null)
{
    public long Tokens => A.shape[0];
    public long Heads => A.shape.Length > 1 ? A.shape[1] : 0;
    public long Horizon => A.shape.Length > 2 ? A.shape[2] : 0;
    public long N => A.shape.Length > 3 ? A.shape[3] : 0;
    public long M => Rho.shape.Length > 3 ? Rho.shape[3] : 0;
    public bool SharedB => B.dim() == 4;
    public bool SharedQ => Q.dim() == 4;

    internal ScalarType Validate()
    {
        var dtype = TensorArguments.CheckDtype(A, "a");
        TensorArguments.Check(A, "a", dtype, [-1, -1, -1, -1], "[N, H, T, n]");
        long tok = Tokens, h = Heads, T = Horizon, n = N;
        TensorArguments.Check(Rho, "rho", dtype, [tok, h, T, -1], "[N, H, T, m]");
        var m = M;
        if (SharedB) TensorArguments.Check(B, "B", dtype, [tok, T, n, m], "[N, T, n, m]");
        else TensorArguments.Check(B, "B", dtype, [tok, h, T, n, m], "[N, H, T, n, m]");
        if (SharedQ) TensorArguments.Check(Q, "Q", dtype, [tok, T, n, n], "[N, T, n, n]");
        else TensorArguments.Check(Q, "Q", dtype, [tok, h, T, n, n], "[N, H, T, n, n]");
        TensorArguments.Check(H0, "h0", dtype, [tok, h, n], "[N, H, n]");
        if (QLinear is not null) TensorArguments.Check(QLinear, "q", dtype, [tok, h, T, n], "[N, H, T, n]");
        if (RLinear is not null) TensorArguments.Check(RLinear, "r", dtype, [tok, h, T, m], "[N, H, T, m]");
        return dtype;
    }

    internal TtcExplicitProblem Describe() => new()
    {
        a = NativeTensors.Describe(A),
        B = SharedB ? NativeTensors.DescribeSharedOverHeads(B, Heads) : NativeTensors.Describe(B),
        Q = SharedQ ? NativeTensors.DescribeSharedOverHeads(Q, Heads) : NativeTensors.Describe(Q),
        rho = NativeTensors.Describe(Rho),
        h0 = NativeTensors.Describe(H0),
        q = QLinear is null ? default : NativeTensors.Describe(QLinear),
        r = RLinear is null ? default : NativeTensors.Describe(RLinear),
    };
}

/// <summary>Outputs of a solve; U, H, Lambda and P0 are null unless requested.</summary>
public sealed record LqrSolution(Tensor U1, Tensor? U, Tensor? H, Tensor? Lambda, Tensor? P0);
