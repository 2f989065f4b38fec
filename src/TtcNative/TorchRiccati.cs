using static TorchSharp.torch;

namespace TtcNative;

/// <summary>
/// The pure-TorchSharp solver a user would otherwise write: the Riccati recursion (E4) of the discounted form (E3) in
/// torch ops, batched over [N, H], differentiated by autograd. It is the independent reference of the tests and the
/// baseline of the CPU benchmarks (docs/BENCHMARKS.md); <see cref="LqrFunction"/> is the fast path.
/// </summary>
public static class TorchRiccati
{
    /// <summary>u_1 [N,H,m] of the discounted problem over horizon T, with autograd through every input.</summary>
    public static Tensor FirstControl(DiscountedLqr p, long T)
    {
        if (T == 0) return zeros_like(p.Rho);
        var B = p.SharedB ? p.B.unsqueeze(1) : p.B;                       // [N, H|1, n, m]
        var Qs = p.SharedQ ? p.Q.unsqueeze(1) : p.Q;
        Qs = 0.5 * (Qs + Qs.transpose(-1, -2));
        var P = 0.5 * (p.Qf + p.Qf.transpose(-1, -2));                     // P_T = Q_T
        var R = diag_embed(p.Rho);
        for (var t = T; t >= 1; --t)
        {
            var a = 1 + exp(t * p.LogGammaA).unsqueeze(-1) * p.A;          // [N, H, n]
            var Bt = B * exp(t * p.LogGammaB).unsqueeze(-2);               // [N, H, n, m]
            var PB = matmul(P, Bt);
            var S = R + matmul(Bt.transpose(-1, -2), PB);
            var PA = P * a.unsqueeze(-2);                                  // P A_t
            var K = linalg.solve(S, PB.transpose(-1, -2) * a.unsqueeze(-2));
            if (t == 1) return -matmul(K, p.H0.unsqueeze(-1)).squeeze(-1);
            var gq = exp((t - 1) * p.LogGammaQ);
            var Qprev = gq.unsqueeze(-1) * Qs * gq.unsqueeze(-2);
            P = Qprev + a.unsqueeze(-1) * (PA - matmul(PB, K));
            P = 0.5 * (P + P.transpose(-1, -2));
        }
        throw new InvalidOperationException("unreachable");
    }
}
