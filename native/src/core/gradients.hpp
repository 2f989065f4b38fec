// Gradients from the primal solution (h, u, lambda) and the adjoint solution (dh, du, dlambda) of DESIGN.md §4:
// E8 for the explicit form, and E8 chained through E3 for the discounted form.
#pragma once

#include "dense.hpp"
#include "step_sources.hpp"
#include "ttc/ttc.h"

namespace ttc::core {
TTC_ISA_BEGIN

template <class R>
struct TrajectoryPair {
    idx n = 0, m = 0, T = 0;
    const R *h, *u, *lambda;     // primal: [T+1, n], [T, m], [T+1, n]
    const R *dh, *du, *dlambda;  // adjoint, same shapes
};

// Where one problem's gradient goes in a dense gradient tensor of head extent H or 1. With head extent 1 the heads
// of a token are summed in order 0..H-1: head 0 writes, later heads add.
template <class R>
struct GradTarget {
    R* base = nullptr;
    bool accumulate = false;

    TTC_HD explicit operator bool() const { return base != nullptr; }
    TTC_HD void put(idx offset, R value) const {
        if (accumulate) {
            base[offset] += value;
        } else {
            base[offset] = value;
        }
    }
};

template <class R>
TTC_HD GradTarget<R> grad_target(const ttc_tensor& t, idx token, idx head) {
    GradTarget<R> g;
    if (t.ndim == 0) return g;
    const bool summed = t.shape[1] == 1;
    g.base = static_cast<R*>(t.data) + token * t.strides[0] + (summed ? 0 : head * t.strides[1]);
    g.accumulate = summed && head > 0;
    return g;
}

// E8, per step t = 1..T: the explicit-form gradients of step t.
template <class R>
struct StepGradients {
    // dL/da_t[i] = lambda_t[i] dh_{t-1}[i] + dlambda_t[i] h_{t-1}[i]
    TTC_HD static R a(const TrajectoryPair<R>& x, idx t, idx i) {
        const idx n = x.n;
        return x.lambda[t * n + i] * x.dh[(t - 1) * n + i] + x.dlambda[t * n + i] * x.h[(t - 1) * n + i];
    }
    // dL/dB_t[i, j] = lambda_t[i] du_t[j] + dlambda_t[i] u_t[j]
    TTC_HD static R B(const TrajectoryPair<R>& x, idx t, idx i, idx j) {
        const idx n = x.n, m = x.m;
        return x.lambda[t * n + i] * x.du[(t - 1) * m + j] + x.dlambda[t * n + i] * x.u[(t - 1) * m + j];
    }
    // dL/dQ_t[i, j] = (h_t[i] dh_t[j] + dh_t[i] h_t[j]) / 2
    TTC_HD static R Q(const TrajectoryPair<R>& x, idx t, idx i, idx j) {
        const idx n = x.n;
        return R(0.5) * (x.h[t * n + i] * x.dh[t * n + j] + x.dh[t * n + i] * x.h[t * n + j]);
    }
    // dL/drho_t[j] = u_t[j] du_t[j]
    TTC_HD static R rho(const TrajectoryPair<R>& x, idx t, idx j) {
        return x.u[(t - 1) * x.m + j] * x.du[(t - 1) * x.m + j];
    }
};

// E8 for the explicit form: every gradient of problem (token, head) into its target, split over the team by step
// (and by row for B and Q).
template <class Team, class R>
TTC_HD void write_explicit_grads(const Team& team, const ttc_explicit_grads& g, const TrajectoryPair<R>& x, idx tok,
                                 idx head) {
    const idx n = x.n, m = x.m, T = x.T;
    using G = StepGradients<R>;
    if (auto t = grad_target<R>(g.a, tok, head))
        each(team, T, [&](idx k) {
            for (idx i = 0; i < n; ++i) t.put(k * n + i, G::a(x, k + 1, i));
        });
    if (auto t = grad_target<R>(g.B, tok, head))
        each(team, T * n, [&](idx row) {
            const idx k = row / n, i = row % n;
            for (idx j = 0; j < m; ++j) t.put(row * m + j, G::B(x, k + 1, i, j));
        });
    if (auto t = grad_target<R>(g.Q, tok, head))
        each(team, T * n, [&](idx row) {
            const idx k = row / n, i = row % n;
            for (idx j = 0; j < n; ++j) t.put(row * n + j, G::Q(x, k + 1, i, j));
        });
    if (auto t = grad_target<R>(g.rho, tok, head))
        each(team, T, [&](idx k) {
            for (idx j = 0; j < m; ++j) t.put(k * m + j, G::rho(x, k + 1, j));
        });
    if (auto t = grad_target<R>(g.q, tok, head))
        each(team, T, [&](idx k) {
            for (idx i = 0; i < n; ++i) t.put(k * n + i, x.dh[(k + 1) * n + i]);
        });
    if (auto t = grad_target<R>(g.r, tok, head))
        each(team, T, [&](idx k) {
            for (idx j = 0; j < m; ++j) t.put(k * m + j, x.du[k * m + j]);
        });
    // dL/dh_0 = dlambda_0 (E8).
    if (auto t = grad_target<R>(g.h0, tok, head)) each(team, n, [&](idx i) { t.put(i, x.dlambda[i]); });
    team.sync();
}

// E8 chained through E3, e.g. dL/dlog gamma_A = sum_t t gamma_A^t sum_i (dL/da_t)_i a_i (DESIGN.md §4).
// Scratch `acc` holds these sums over steps, in this order; `end` is its size in elements.
struct DiscountedSumOffsets {
    idx a, log_gamma_a, B, log_gamma_b, Q, log_gamma_q, Qf, rho, end;
    TTC_HD DiscountedSumOffsets(idx n, idx m)
        : a(0),
          log_gamma_a(a + n),
          B(log_gamma_a + 1),
          log_gamma_b(B + n * m),
          Q(log_gamma_b + m),
          log_gamma_q(Q + n * n),
          Qf(log_gamma_q + n),
          rho(Qf + n * n),
          end(rho + m) {}
};

TTC_HD idx discounted_grad_elements(idx n, idx m) { return DiscountedSumOffsets(n, m).end; }

// Where each sum lives in that scratch; P is R* or const R*.
template <class P>
struct DiscountedSums {
    P a, log_gamma_a, B, log_gamma_b, Q, log_gamma_q, Qf, rho;
    TTC_HD DiscountedSums(idx n, idx m, P acc) : DiscountedSums(DiscountedSumOffsets(n, m), acc) {}

private:
    TTC_HD DiscountedSums(const DiscountedSumOffsets& o, P acc)
        : a(acc + o.a),
          log_gamma_a(acc + o.log_gamma_a),
          B(acc + o.B),
          log_gamma_b(acc + o.log_gamma_b),
          Q(acc + o.Q),
          log_gamma_q(acc + o.log_gamma_q),
          Qf(acc + o.Qf),
          rho(acc + o.rho) {}
};

template <class Team, class R>
TTC_HD void copy_to_target(const Team& team, const ttc_tensor& tensor, idx tok, idx head, const R* values, idx count) {
    if (auto target = grad_target<R>(tensor, tok, head)) each(team, count, [&](idx i) { target.put(i, values[i]); });
}

// Each sum is owned by one rank and accumulated over t = 1..T in order: by element i for a, by the leader for
// log gamma_A, by column j for B, log gamma_B and rho, and by row i for Q, log gamma_Q and Q_f. The steps' gamma
// scratch, which the solve no longer needs, holds one step's weights at a time. R may be the CPU's Lanes: every lane
// then adds the one-problem terms in the one-problem order.
template <class Team, class R>
TTC_HD void accumulate_discounted_grads(const Team& team, const DiscountedSteps<R>& s, const TrajectoryPair<R>& x,
                                        R* acc) {
    const idx n = x.n, m = x.m, T = x.T;
    using G = StepGradients<R>;
    fill(team, discounted_grad_elements(n, m), R(0), acc);
    const DiscountedSums g(n, m, acc);
    // Step t's weights gamma_A^t and gamma_B,j^t (E3), once per step: T + Tm exponentials where the sums would take
    // Tn + T + Tm. The loops run over t, then i, then j, so the innermost runs along a row of B; each sum still adds
    // its terms over t (and i) in order, with the same operands.
    R* gamma_b = s.gamma_scratch;
    for (idx t = 1; t <= T; ++t) {
        const R tt = R(t);
        const R gamma_a = exp_value(tt * s.log_gamma_a);
        each(team, n, [&](idx i) { g.a[i] += gamma_a * G::a(x, t, i); });
        if (is_leader(team))
            for (idx i = 0; i < n; ++i) *g.log_gamma_a += tt * gamma_a * G::a(x, t, i) * s.a[i];
        each(team, m, [&](idx j) {
            gamma_b[j] = exp_value(tt * s.log_gamma_b[j]);
            g.rho[j] += G::rho(x, t, j);
        });
        // gamma_b[j] is written and read by the rank that owns column j.
        for (idx i = 0; i < n; ++i)
            each(team, m, [&](idx j) {
                const R gbt = G::B(x, t, i, j);
                g.B[i * m + j] += gamma_b[j] * gbt;
                g.log_gamma_b[j] += tt * gamma_b[j] * gbt * s.B[i * m + j];
            });
    }
    each(team, n, [&](idx i) {
        if (T > 0)
            for (idx j = 0; j < n; ++j) g.Qf[i * n + j] += G::Q(x, T, i, j);
    });
    // Step t's weights gamma_Q,i^t gamma_Q,j^t (E3) from n exponentials in the steps' gamma scratch, which the solve
    // no longer needs; each row still sums over t in order.
    R* gamma_q = s.gamma_scratch;
    for (idx t = 1; t < T; ++t) {
        const R tt = R(t);
        team.sync();
        each(team, n, [&](idx j) { gamma_q[j] = exp_value(tt * s.log_gamma_q[j]); });
        team.sync();
        each(team, n, [&](idx i) {
            R sum = g.log_gamma_q[i];  // in a register: through memory every add would wait on the previous store
            for (idx j = 0; j < n; ++j) {
                const R w = gamma_q[i] * gamma_q[j];
                const R gqt = G::Q(x, t, i, j);
                g.Q[i * n + j] += w * gqt;
                sum += R(2) * tt * gqt * w * s.Q[i * n + j];
            }
            g.log_gamma_q[i] = sum;
        });
    }
    team.sync();
}

// The sums of accumulate_discounted_grads, and dL/dh_0 = dlambda_0 (E8), into problem (token, head)'s targets.
template <class Team, class R>
TTC_HD void write_discounted_sums(const Team& team, const ttc_discounted_grads& g, idx n, idx m, const R* acc,
                                  const R* dlambda0, idx tok, idx head) {
    const DiscountedSums sums(n, m, acc);
    copy_to_target(team, g.a, tok, head, sums.a, n);
    copy_to_target(team, g.log_gamma_a, tok, head, sums.log_gamma_a, 1);
    copy_to_target(team, g.B, tok, head, sums.B, n * m);
    copy_to_target(team, g.log_gamma_b, tok, head, sums.log_gamma_b, m);
    copy_to_target(team, g.Q, tok, head, sums.Q, n * n);
    copy_to_target(team, g.log_gamma_q, tok, head, sums.log_gamma_q, n);
    copy_to_target(team, g.Qf, tok, head, sums.Qf, n * n);
    copy_to_target(team, g.rho, tok, head, sums.rho, m);
    copy_to_target(team, g.h0, tok, head, dlambda0, n);
    team.sync();
}

template <class Team, class R>
TTC_DEVICE_OUT_OF_LINE TTC_HD void write_discounted_grads(const Team& team, const ttc_discounted_grads& g,
                                                          const DiscountedSteps<R>& s, const TrajectoryPair<R>& x,
                                                          idx tok, idx head, R* acc) {
    accumulate_discounted_grads(team, s, x, acc);
    write_discounted_sums(team, g, x.n, x.m, acc, x.dlambda, tok, head);
}

TTC_ISA_END
}  // namespace ttc::core
