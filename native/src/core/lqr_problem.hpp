// One LQR problem as the solvers see it: a step source, k columns of linear costs and initial states, and the dense
// per-problem outputs to fill. Column 0 is the primal problem; column 1 (backward only) is the adjoint LQR of
// DESIGN.md §4 (h_0 = 0, q := dL/dh, r := dL/du).
#pragma once

#include "arena.hpp"
#include "dense.hpp"
#include "step_sources.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

constexpr idx kMaxColumns = 2;

template <class R, class Steps>
struct LqrProblem {
    const Steps* steps = nullptr;
    idx n = 0, m = 0, T = 0, k = 1;
    LinearSeries<R> linear[kMaxColumns];
    const R* h0[kMaxColumns] = {nullptr, nullptr};  // dense [n]
};

// The symplectic sweep's state on entry to the top step of every rollout segment of `every` steps (1..every,
// every+1..2 every, ..., the last one shorter): Y1, Y2 and the primal affine column y, saved_top_elements(n) each, at
// `tops` (DESIGN.md §4, "an optional buffer saved by the forward"). A sweep records them there; a solve with
// `restore` starts each segment from them instead of sweeping the whole horizon, its other affine columns zero.
template <class R>
struct SavedTops {
    R* tops = nullptr;
    idx every = 0;
    bool restore = false;
};

TTC_HD idx saved_top_elements(idx n) { return 2 * n * n + n; }
TTC_HD idx saved_segments(idx T, idx every) { return every > 0 ? (T + every - 1) / every : 0; }

// Dense per-problem outputs; any pointer may be null.
template <class R>
struct LqrOutputs {
    R* u1[kMaxColumns] = {nullptr, nullptr};      // [m]
    R* u[kMaxColumns] = {nullptr, nullptr};       // [T, m]
    R* h[kMaxColumns] = {nullptr, nullptr};       // [T+1, n]
    R* lambda[kMaxColumns] = {nullptr, nullptr};  // [T+1, n]
    R* P0 = nullptr;                              // [n, n]
    SavedTops<R> saved;                           // symplectic solver only

    TTC_HD bool wants_trajectory() const {
        for (idx c = 0; c < kMaxColumns; ++c)
            if (u[c] || h[c] || lambda[c]) return true;
        return false;
    }
};

// Sizes that decide a solver's workspace layout.
struct LqrShape {
    idx n = 0, m = 0, T = 0, k = 1;
    bool trajectory = false;
    bool full_storage = false;
};

// Dense buffers for the data of one step: dynamics of step t, cost of step t-1.
template <class R>
struct StepBuffers {
    R *a, *B, *rho, *r, *Q, *q;

    template <class A>
    TTC_HD static StepBuffers carve(A& arena, const LqrShape& s) {
        StepBuffers b;
        b.a = arena.take(s.n);
        b.B = arena.take(s.n * s.m);
        b.rho = arena.take(s.m);
        b.r = arena.take(s.k * s.m);
        b.Q = arena.take(s.n * s.n);
        b.q = arena.take(s.k * s.n);
        return b;
    }

    template <class Team, class Steps>
    TTC_HD void load_step(const Team& team, const LqrProblem<R, Steps>& p, idx t) {
        p.steps->load_step(team, t, a, B, rho);
        for (idx c = 0; c < p.k; ++c) p.linear[c].load_r(team, t, p.m, r + c * p.m);
    }

    template <class Team, class Steps>
    TTC_HD void load_cost(const Team& team, const LqrProblem<R, Steps>& p, idx t) {
        p.steps->load_cost(team, t, Q);
        for (idx c = 0; c < p.k; ++c) p.linear[c].load_q(team, t, p.n, q + c * p.n);
    }

    // The cost on h_{t-1} that step t folds in, into Q and q; both null at t = 1 (no cost on h_0).
    template <class Team, class Steps>
    TTC_HD void load_previous_cost(const Team& team, const LqrProblem<R, Steps>& p, idx t, const R** Q_prev,
                                   const R** q_prev) {
        *Q_prev = nullptr;
        *q_prev = nullptr;
        if (t <= 1) return;
        load_cost(team, p, t - 1);
        *Q_prev = Q;
        *q_prev = q;
    }
};

// The T = 0 solution: u_1 = 0, h = [h_0], lambda = [0], P_0 = 0.
template <class Team, class R, class Steps>
TTC_HD void write_empty_horizon(const Team& team, const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out) {
    for (idx c = 0; c < p.k; ++c) {
        if (out.u1[c]) fill(team, p.m, R(0), out.u1[c]);
        if (out.h[c]) copy(team, p.n, p.h0[c], out.h[c]);
        if (out.lambda[c]) fill(team, p.n, R(0), out.lambda[c]);
    }
    if (out.P0) fill(team, p.n * p.n, R(0), out.P0);
}

// Per-column pointers for step t of a rollout: outputs where requested, else scratch (h ping-pongs in 2n).
template <class R>
struct RolloutCursor {
    R *h_prev, *h, *u, *lambda;
};

template <class Team, class R, class Steps>
TTC_HD RolloutCursor<R> rollout_cursor(const Team& team, const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out, idx c,
                                       idx t, R* h_scratch, R* u_scratch, R* lambda_scratch) {
    RolloutCursor<R> cur;
    const idx n = p.n, m = p.m;
    if (out.h[c]) {
        if (t == 1) copy(team, n, p.h0[c], out.h[c]);
        cur.h_prev = out.h[c] + (t - 1) * n;
        cur.h = out.h[c] + t * n;
    } else {
        cur.h_prev = t == 1 ? const_cast<R*>(p.h0[c]) : h_scratch + ((t - 1) % 2) * n;
        cur.h = h_scratch + (t % 2) * n;
    }
    cur.u = out.u[c] ? out.u[c] + (t - 1) * m : u_scratch;
    cur.lambda = out.lambda[c] ? out.lambda[c] + t * n : lambda_scratch;
    return cur;
}

// After step t of a rollout: u_1 and lambda_0 = A_1' lambda_1 (DESIGN.md §4 convention) come from step 1.
template <class Team, class R, class Steps>
TTC_HD void finish_rollout_step(const Team& team, const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out, idx c, idx t,
                                const R* a_t, const RolloutCursor<R>& cur) {
    if (t != 1) return;
    if (out.u1[c]) copy(team, p.m, cur.u, out.u1[c]);
    if (R* lambda0 = out.lambda[c]) {
        each(team, p.n, [&](idx i) { lambda0[i] = a_t[i] * cur.lambda[i]; });
        team.sync();
    }
}

TTC_ISA_END
}  // namespace ttc::core
