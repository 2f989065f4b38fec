// One backward step t of the Riccati recursion, E4, and its rollout.
// k affine columns p (one per set of linear costs) share P, as in symplectic_step.hpp.
#pragma once

#include "cholesky.hpp"
#include "dense.hpp"
#include "dynamics.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// E4:  S_t = R_t + B' P_t B (Cholesky),  K_t = S^-1 B' P_t A_t,  k_t = S^-1 (B' p_t + r_t),
//      P_{t-1} = Q_{t-1} + A (P_t A - P_t B K_t) (symmetrised),  p_{t-1} = q_{t-1} + A (p_t - P_t B k_t).
// On entry P, p hold P_t, p_t; on exit P_{t-1}, p_{t-1}. Writes K (m x n) and kk (k columns of m).
// Q_prev / q_prev are null for t = 1. Scratch PB: n x m, S: m x m.
// Returns false when S_t is not positive definite (NOT_CONVEX).
template <class Team, class R>
TTC_HD bool riccati_step(const Team& team, idx n, idx m, idx k, R* P, R* p, const R* a, const R* B, const R* rho,
                         const R* r, const R* Q_prev, const R* q_prev, R* K, R* kk, R* PB, R* S) {
    gemm_nn(team, n, m, n, R(1), P, n, B, m, R(0), PB, m);
    gemm_tn(team, m, m, n, R(1), B, m, PB, m, R(0), S, m);
    each(team, m, [&](idx j) { S[j * m + j] += rho[j]; });
    team.sync();
    if (!cholesky_factor(team, m, S, m)) return false;
    each(team, m, [&](idx j) {
        for (idx i = 0; i < n; ++i) K[j * n + i] = PB[i * m + j] * a[i];
    });
    team.sync();
    cholesky_solve(team, m, S, m, n, K, n);
    for (idx col = 0; col < k; ++col) {
        R* kc = kk + col * m;
        gemv_t(team, n, m, R(1), B, m, p + col * n, R(0), kc);
        each(team, m, [&](idx j) { kc[j] += r[col * m + j]; });
        team.sync();
        cholesky_solve(team, m, S, m, 1, kc, 1);
    }
    for (idx col = 0; col < k; ++col) {
        R* pc = p + col * n;
        gemv_n(team, n, m, R(-1), PB, m, kk + col * m, R(1), pc);
        each(team, n, [&](idx i) {
            pc[i] *= a[i];
            if (q_prev != nullptr) pc[i] += q_prev[col * n + i];
        });
        team.sync();
    }
    scale_columns(team, n, n, P, n, a);
    gemm_nn(team, n, n, m, R(-1), PB, m, K, n, R(1), P, n);
    scale_rows(team, n, n, P, n, a);
    if (Q_prev != nullptr) {
        each(team, n * n, [&](idx i) { P[i] += Q_prev[i]; });
        team.sync();
    }
    symmetrise(team, n, P, n);
    return true;
}

// Rollout with the gains of step t:  u_t = -K_t h_{t-1} - k_t,  h_t = A_t h_{t-1} + B_t u_t.  h_prev, h may alias.
template <class Team, class R>
TTC_HD void riccati_rollout_step(const Team& team, idx n, idx m, const R* K, const R* kk, const R* a, const R* B,
                                 const R* h_prev, R* u, R* h, R* tmp) {
    gemv_n(team, m, n, R(-1), K, n, h_prev, R(0), u);
    each(team, m, [&](idx j) { u[j] -= kk[j]; });
    apply_dynamics(team, n, m, a, B, h_prev, u, h, tmp);
}

TTC_ISA_END
}  // namespace ttc::core
