// One backward step t of the symplectic (Moebius) sweep, E5, and the rollout step E9.
//
// The sweep state (Y1, Y2, y) represents lambda_t = Y1^-1 (Y2 h_t + y), i.e. P_t = Y1^-1 Y2 and p_t = Y1^-1 y.
// There are k affine columns y (one per set of linear costs) sharing Y1 and Y2: the backward pass solves the primal
// and the adjoint LQR (DESIGN.md §4) in one sweep with k = 2.
//
// Layouts: n x n and n x m matrices row-major and dense; k-column blocks stored column by column (column c at c * n,
// or c * m for control-sized blocks).
#pragma once

#include "dense.hpp"
#include "dynamics.hpp"
#include "lu.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// E5, first half: Z_t = Y1 + Y2 G_t with G_t = B R^-1 B', and c_t = B R^-1 r_t for each column.
// Computed as (Y2 B)(R^-1 B') (2 n^2 m) rather than forming G (n^2 m + n^3); both products are gemm_nn, whose rows a
// CPU vectorises. Scratch YB: n x m; RB: m x n, row j of R^-1 B'.
template <class Team, class R>
TTC_HD void symplectic_prepare(const Team& team, idx n, idx m, idx k, const R* Y1, const R* Y2, const R* B,
                               const R* rho, const R* r, R* Z, R* c, R* YB, R* RB) {
    each(team, m, [&](idx j) {
        for (idx i = 0; i < n; ++i) RB[j * n + i] = B[i * m + j] / rho[j];
    });
    gemm_nn(team, n, m, n, R(1), Y2, n, B, m, R(0), YB, m);  // syncs RB too
    copy(team, n * n, Y1, Z);
    gemm_nn(team, n, n, m, R(1), YB, m, RB, n, R(1), Z, n);
    for (idx col = 0; col < k; ++col) gemv_t(team, m, n, R(1), RB, n, r + col * m, R(0), c + col * n);
}

// E5, second half: (Y1, Y2, y) on entry to step t becomes the state on entry to step t-1 (before
// re-orthonormalisation):  Y1' = Z A^-1,  Y2' = Y2 A + Y1' Q_{t-1},  y' = y + Y1' q_{t-1} - Y2 c_t.
// Q_prev / q_prev are Q_{t-1} / q_{t-1}; pass null for t = 1 (Q_0 = 0, q_0 = 0). Scratch tmp: n.
template <class Team, class R>
TTC_HD void symplectic_advance(const Team& team, idx n, idx k, R* Y1, R* Y2, R* y, const R* a, const R* Z, const R* c,
                               const R* Q_prev, const R* q_prev, R* tmp) {
    for (idx col = 0; col < k; ++col) gemv_n(team, n, n, R(-1), Y2, n, c + col * n, R(1), y + col * n);
    each(team, n, [&](idx i) {
        for (idx j = 0; j < n; ++j) {
            Y1[i * n + j] = Z[i * n + j] / a[j];
            Y2[i * n + j] *= a[j];
        }
    });
    team.sync();
    if (Q_prev != nullptr) gemm_nn(team, n, n, n, R(1), Y1, n, Q_prev, n, R(1), Y2, n);
    if (q_prev != nullptr)
        for (idx col = 0; col < k; ++col) {
            gemv_n(team, n, n, R(1), Y1, n, q_prev + col * n, R(0), tmp);
            each(team, n, [&](idx i) { y[col * n + i] += tmp[i]; });
            team.sync();
        }
}

// E9 (and E6 at t = 1) for one column: given the LU of Z_t and (Y2_t, y_t, c_t) on entry to step t,
//   lambda_t = Z_t^-1 (Y2_t (A_t h_{t-1} - c_t) + y_t),  u_t = -R^-1 (B' lambda_t + r_t),  h_t = A_t h_{t-1} + B u_t.
// h_prev and h may alias. Scratch tmp: n.
template <class Team, class R>
TTC_HD void symplectic_rollout_step(const Team& team, idx n, idx m, const R* Z_lu, const int* pivots, const R* Y2,
                                    const R* y, const R* c, const R* a, const R* B, const R* rho, const R* r,
                                    const R* h_prev, R* lambda, R* u, R* h, R* tmp) {
    each(team, n, [&](idx i) { tmp[i] = a[i] * h_prev[i] - c[i]; });
    team.sync();
    gemv_n(team, n, n, R(1), Y2, n, tmp, R(0), lambda);
    each(team, n, [&](idx i) { lambda[i] += y[i]; });
    team.sync();
    lu_solve(team, n, Z_lu, n, pivots, 1, lambda, 1);
    gemv_t(team, n, m, R(-1), B, m, lambda, R(0), u);
    each(team, m, [&](idx j) { u[j] = (u[j] - r[j]) / rho[j]; });
    apply_dynamics(team, n, m, a, B, h_prev, u, h, tmp);
}

TTC_ISA_END
}  // namespace ttc::core
