using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace TtcNative;

/// <summary>How u_1 of each head is rescaled before the output projection (DESIGN.md §5).</summary>
public enum TtcOutputScaling { PerHeadL2, None, ToH0Norm }

/// <summary>How the Q basis Qs_r is stored: symmetrised ("plain"), or Qs_r Qs_r' / sqrt(n) ("cholesky", PSD).</summary>
public enum TtcQMode { Plain, Cholesky }

public sealed record TtcLayerOptions
{
    public TtcOutputScaling Scaling { get; init; } = TtcOutputScaling.PerHeadL2;
    public TtcQMode QMode { get; init; } = TtcQMode.Plain;
    /// <summary>A learnable b in log gamma = -softplus(x) - relu(-b), initialised to log(1/sqrt(n)).</summary>
    public bool LearnDiscountBias { get; init; } = true;
    /// <summary>Zero-initialise out_proj, so that a new layer adds nothing (adapters).</summary>
    public bool ZeroInitOutput { get; init; }
    public LqrOptions Solver { get; init; } = LqrOptions.Default;
}

/// <summary>
/// The Test-Time Control layer (DESIGN.md §5): for each token and head it solves a discounted LQR problem whose
/// parameters come from the token, and emits the first optimal control u_1. forward(x [B, L, inDim], T) returns
/// [B, L, outDim]; T = 0 turns the layer off (zeros).
/// </summary>
public sealed class TtcLayer : Module<Tensor, long, Tensor>
{
    readonly long _n, _m, _heads, _bRank, _qRank, _perHead, _outDim;
    readonly TtcLayerOptions _options;
    readonly Linear in_proj, out_proj;
    readonly Parameter B_basis, Q_basis;
    readonly Parameter? discount_bias;

    public TtcLayer(long inDim, long outDim, long n, long m, long heads, long bRank, long qRank,
        TtcLayerOptions? options = null, string name = "TtcLayer") : base(name)
    {
        foreach (var (value, label) in new[] { (inDim, "inDim"), (outDim, "outDim"), (n, "n"), (m, "m"), (heads, "heads"),
                     (bRank, "bRank"), (qRank, "qRank") })
            if (value < 1) throw new ArgumentOutOfRangeException(label, value, $"{label} must be >= 1");
        (_n, _m, _heads, _bRank, _qRank, _outDim) = (n, m, heads, bRank, qRank, outDim);
        _options = options ?? new TtcLayerOptions();
        _perHead = n + n + m + qRank + (1 + m + n);
        in_proj = Linear(inDim, heads * _perHead + bRank + qRank);
        out_proj = Linear(heads * m, outDim);
        B_basis = Parameter(randn(bRank, n, m) / Math.Sqrt(n));
        Q_basis = Parameter(randn(qRank, n, n) / Math.Sqrt(n));
        if (_options.LearnDiscountBias)
            discount_bias = Parameter(full(heads, 1 + m + n, Math.Log(1 / Math.Sqrt(n))));
        if (_options.ZeroInitOutput)
            using (no_grad())
            {
                out_proj.weight!.zero_();
                out_proj.bias!.zero_();
            }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, long T)
    {
        TensorArguments.CheckDtype(x, "x");
        TensorArguments.CheckShape(x, "x", [-1, -1, in_proj.in_features], "[B, L, inDim]");
        if (T < 0) throw new ArgumentOutOfRangeException(nameof(T), T, "the horizon T must be >= 0");
        if (T == 0) return zeros([x.shape[0], x.shape[1], _outDim], x.dtype);
        var problem = ControlProblem(x);
        var u1 = LqrFunction.FirstControl(problem, T, _options.Solver);
        return Readout(u1, problem.H0, x.shape[0], x.shape[1]);
    }

    /// <summary>The per-token, per-head discounted LQR problems that x defines (N = B * L tokens).</summary>
    public DiscountedLqr ControlProblem(Tensor x)
    {
        long tokens = x.shape[0] * x.shape[1], H = _heads, n = _n, m = _m;
        var z = in_proj.forward(x.reshape(tokens, x.shape[2]));
        var perHead = z.narrow(1, 0, H * _perHead).reshape(tokens, H, _perHead);
        var shared = z.narrow(1, H * _perHead, _bRank + _qRank);
        var parts = perHead.split([n, n, m, _qRank, 1 + m + n], dim: 2);
        var (h0, rawA, rawRinv, qfCoeff, rawGamma) = (parts[0], parts[1], parts[2], parts[3], parts[4]);

        var a = F.normalize(rawA, dim: -1);
        var rInverse = F.normalize(F.softplus(rawRinv), dim: -1).clamp_min(1e-6);
        var rho = rInverse.reciprocal();
        var qBasis = QBasis();
        var B = einsum("nr,rij->nij", F.normalize(shared.narrow(1, 0, _bRank), dim: -1), B_basis);
        var Q = einsum("nr,rij->nij", F.normalize(F.softplus(shared.narrow(1, _bRank, _qRank)), dim: -1), qBasis);
        var Qf = einsum("nhr,rij->nhij", F.normalize(F.softplus(qfCoeff), dim: -1), qBasis);
        var logGamma = -F.softplus(rawGamma);
        if (discount_bias is not null) logGamma = logGamma - F.relu(-discount_bias);
        var gammas = logGamma.split([1, m, n], dim: 2);
        return new DiscountedLqr(a, gammas[0].squeeze(2), B, gammas[1], Q, gammas[2], Qf, rho, h0.contiguous());
    }

    /// <summary>Rescales u_1 per head, concatenates the heads and projects to [B, L, outDim].</summary>
    public Tensor Readout(Tensor u1, Tensor h0, long batch, long length)
    {
        const double eps = 1e-12;
        var scaled = _options.Scaling switch
        {
            TtcOutputScaling.PerHeadL2 => u1 / (u1.norm(-1, true) + eps),
            TtcOutputScaling.ToH0Norm => u1 * (h0.norm(-1, true) / (u1.norm(-1, true) + eps)),
            _ => u1,
        };
        return out_proj.forward(scaled.reshape(batch, length, _heads * _m));
    }

    Tensor QBasis() => _options.QMode == TtcQMode.Plain
        ? 0.5 * (Q_basis + Q_basis.transpose(1, 2))
        : matmul(Q_basis, Q_basis.transpose(1, 2)) / Math.Sqrt(_n);
}
