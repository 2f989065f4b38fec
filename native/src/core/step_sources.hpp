// Per-step data of one problem, for both input forms (DESIGN.md §2). A source fills dense step buffers, split over
// the team (team.hpp):
//   load_step(team, t, a_t, B_t, rho_t)  for t = 1..T (dynamics and control cost of step t)
//   load_cost(team, t, Q_t)              for t = 1..T (cost on h_t, symmetrised; Q_T is terminal)
//   min_abs_a()                          min over t, i of |(A_t)_ii| (small-|a| policy, §3.2); every rank reads all
#pragma once

#include "discount.hpp"
#include "problem_slice.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

template <class R>
struct ExplicitSteps {
    idx n = 0, m = 0, T = 0;
    Slice<const R> a, B, Q, rho;  // [T, n], [T, n, m], [T, n, n], [T, m]

    template <class Team>
    TTC_HD void load_step(const Team& team, idx t, R* a_t, R* B_t, R* rho_t) const {
        const idx k = t - 1;
        each(team, n, [&](idx i) {
            a_t[i] = a.base[k * a.s0 + i * a.s1];
            for (idx j = 0; j < m; ++j) B_t[i * m + j] = B.base[k * B.s0 + i * B.s1 + j * B.s2];
        });
        each(team, m, [&](idx j) { rho_t[j] = rho.base[k * rho.s0 + j * rho.s1]; });
        team.sync();
    }

    template <class Team>
    TTC_HD void load_cost(const Team& team, idx t, R* Q_t) const {
        const R* q = Q.base + (t - 1) * Q.s0;
        each(team, n, [&](idx i) {
            for (idx j = 0; j < n; ++j) Q_t[i * n + j] = R(0.5) * (q[i * Q.s1 + j * Q.s2] + q[j * Q.s1 + i * Q.s2]);
        });
        team.sync();
    }

    TTC_HD R min_abs_a() const {
        R best = R(INFINITY);
        for (idx k = 0; k < T; ++k)
            for (idx i = 0; i < n; ++i) best = min_value(best, abs_value(a.base[k * a.s0 + i * a.s1]));
        return best;
    }
};

// E3. The time-invariant parameters are gathered to dense buffers once per problem (Q and Q_f symmetrised).
template <class R>
struct DiscountedSteps {
    idx n = 0, m = 0, T = 0;
    R log_gamma_a = R(0);
    const R* a = nullptr;            // [n]
    const R* B = nullptr;            // [n, m]
    const R* log_gamma_b = nullptr;  // [m]
    const R* Q = nullptr;            // [n, n] symmetrised
    const R* log_gamma_q = nullptr;  // [n]
    const R* Qf = nullptr;           // [n, n] symmetrised
    const R* rho = nullptr;          // [m]
    R* gamma_scratch = nullptr;      // [max(n, m)]

    template <class Team>
    TTC_HD void load_step(const Team& team, idx t, R* a_t, R* B_t, R* rho_t) const {
        discounted_a(team, n, t, log_gamma_a, a, a_t);
        discounted_B(team, n, m, t, log_gamma_b, B, B_t, gamma_scratch);
        each(team, m, [&](idx j) { rho_t[j] = rho[j]; });
        team.sync();
    }

    template <class Team>
    TTC_HD void load_cost(const Team& team, idx t, R* Q_t) const {
        if (t == T) {
            each(team, n * n, [&](idx i) { Q_t[i] = Qf[i]; });
            team.sync();
        } else {
            discounted_Q(team, n, t, log_gamma_q, Q, Q_t, gamma_scratch);
        }
    }

    TTC_HD R min_abs_a() const {
        R best = R(INFINITY);
        for (idx t = 1; t <= T; ++t) {
            const R g = exp_value(R(t) * log_gamma_a);
            for (idx i = 0; i < n; ++i) best = min_value(best, abs_value(R(1) + g * a[i]));
        }
        return best;
    }
};

// Linear costs q_t, r_t of one column (a series of extent <= T; later steps are zero; absent means zero).
template <class R>
struct LinearSeries {
    Slice<const R> q, r;  // [Tq, n], [Tr, m]

    template <class Team>
    TTC_HD void load_q(const Team& team, idx t, idx n, R* out) const { load(team, q, t, n, out); }
    template <class Team>
    TTC_HD void load_r(const Team& team, idx t, idx m, R* out) const { load(team, r, t, m, out); }

private:
    template <class Team>
    TTC_HD static void load(const Team& team, const Slice<const R>& s, idx t, idx len, R* out) {
        const R* row = s && t <= s.extent0 ? s.base + (t - 1) * s.s0 : nullptr;
        const idx stride = s.s1;  // by value: read through s, it would be reloaded after every store (team.hpp, each)
        each(team, len, [&](idx i) { out[i] = row ? row[i * stride] : R(0); });
        team.sync();
    }
};

TTC_ISA_END
}  // namespace ttc::core
