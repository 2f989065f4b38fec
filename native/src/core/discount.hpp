// The discounted form, E3: per-step A_t, B_t, Q_t generated from time-invariant parameters, with gamma^t = exp(t log gamma).
#pragma once

#include "team.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// (A_t)_ii = 1 + gamma_A^t a_i.
template <class Team, class R>
TTC_HD void discounted_a(const Team& team, idx n, idx t, R log_gamma_a, const R* a, R* a_t) {
    const R g = exp_value(R(t) * log_gamma_a);
    each(team, n, [&](idx i) { a_t[i] = R(1) + g * a[i]; });
    team.sync();
}

// B_t = B diag(gamma_B^t). B is n x m dense.
template <class Team, class R>
TTC_HD void discounted_B(const Team& team, idx n, idx m, idx t, const R* log_gamma_b, const R* B, R* B_t,
                         R* gamma_scratch) {
    each(team, m, [&](idx j) { gamma_scratch[j] = exp_value(R(t) * log_gamma_b[j]); });
    team.sync();
    each(team, n, [&](idx i) {
        for (idx j = 0; j < m; ++j) B_t[i * m + j] = B[i * m + j] * gamma_scratch[j];
    });
    team.sync();
}

// Q_t = diag(gamma_Q^t) Q diag(gamma_Q^t) for t < T. Q is n x n dense (already symmetrised).
template <class Team, class R>
TTC_HD void discounted_Q(const Team& team, idx n, idx t, const R* log_gamma_q, const R* Q, R* Q_t, R* gamma_scratch) {
    each(team, n, [&](idx i) { gamma_scratch[i] = exp_value(R(t) * log_gamma_q[i]); });
    team.sync();
    each(team, n, [&](idx i) {
        for (idx j = 0; j < n; ++j) Q_t[i * n + j] = gamma_scratch[i] * Q[i * n + j] * gamma_scratch[j];
    });
    team.sync();
}

TTC_ISA_END
}  // namespace ttc::core
