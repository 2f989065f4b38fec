// The dynamics E1, shared by both solvers' rollouts.
#pragma once

#include "dense.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// E1: h_t = A_t h_{t-1} + B_t u_t with A_t = diag(a). h_prev and h may alias. Scratch tmp: n. The caller's last
// writes to u need no sync of their own: the one before the product covers them.
template <class Team, class R>
TTC_HD void apply_dynamics(const Team& team, idx n, idx m, const R* a, const R* B, const R* h_prev, const R* u, R* h,
                           R* tmp) {
    each(team, n, [&](idx i) { tmp[i] = a[i] * h_prev[i]; });
    team.sync();
    gemv_n(team, n, m, R(1), B, m, u, R(0), h);
    each(team, n, [&](idx i) { h[i] += tmp[i]; });
    team.sync();
}

TTC_ISA_END
}  // namespace ttc::core
