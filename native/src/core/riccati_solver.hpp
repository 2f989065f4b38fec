// The sequential Riccati reference for one problem (E4): Cholesky of S_t, gains K_t, k_t, and the rollout with the
// gains. The costates are lambda_t = P_t h_t + p_t, so the trajectory keeps P_t and p_t of every step.
#pragma once

#include "lqr_problem.hpp"
#include "riccati_step.hpp"
#include "solve_fault.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

template <class R>
struct RiccatiWorkspace {
    StepBuffers<R> step;
    R *P, *p, *K, *kk, *PB, *S, *tmp, *h_scratch, *u_scratch, *lambda_scratch;
    idx slots = 0;
    R *slot_K, *slot_k, *slot_P, *slot_p;  // per step t: K_t, k_t, and P_t, p_t on entry to step t

    template <class A>
    TTC_HD static RiccatiWorkspace carve(A& arena, const LqrShape& s) {
        RiccatiWorkspace w;
        const idx n = s.n, m = s.m, k = s.k;
        w.step = StepBuffers<R>::carve(arena, s);
        w.P = arena.take(n * n);
        w.p = arena.take(k * n);
        w.K = arena.take(m * n);
        w.kk = arena.take(k * m);
        w.PB = arena.take(n * m);
        w.S = arena.take(m * m);
        w.tmp = arena.take(n);
        w.h_scratch = arena.take(k * 2 * n);
        w.u_scratch = arena.take(m);
        w.lambda_scratch = arena.take(n);
        w.slots = s.trajectory ? s.T : 0;
        w.slot_K = arena.take(w.slots * m * n);
        w.slot_k = arena.take(w.slots * k * m);
        w.slot_P = arena.take(w.slots * n * n);
        w.slot_p = arena.take(w.slots * k * n);
        return w;
    }
};

template <class Team, class R, class Steps>
TTC_DEVICE_OUT_OF_LINE TTC_HD SolveFault solve_riccati(const Team& team, const LqrProblem<R, Steps>& p,
                                                       const LqrOutputs<R>& out, RiccatiWorkspace<R>& w) {
    const idx n = p.n, m = p.m, k = p.k, T = p.T, nn = n * n;
    if (T == 0) {
        write_empty_horizon(team, p, out);
        return {};
    }
    const bool trajectory = out.wants_trajectory();
    w.step.load_cost(team, p, T);
    copy(team, nn, w.step.Q, w.P);
    copy(team, k * n, w.step.q, w.p);
    for (idx t = T; t >= 1; --t) {
        const idx s = t - 1;
        if (trajectory) {
            copy(team, nn, w.P, w.slot_P + s * nn);
            copy(team, k * n, w.p, w.slot_p + s * k * n);
        }
        w.step.load_step(team, p, t);
        const R *Q_prev, *q_prev;
        w.step.load_previous_cost(team, p, t, &Q_prev, &q_prev);
        if (!riccati_step(team, n, m, k, w.P, w.p, w.step.a, w.step.B, w.step.rho, w.step.r, Q_prev, q_prev, w.K,
                                w.kk, w.PB, w.S))
            return solve_fault(TTC_STATUS_NOT_CONVEX, SolveStage::RiccatiNotPositive, t);
        if (trajectory) {
            copy(team, m * n, w.K, w.slot_K + s * m * n);
            copy(team, k * m, w.kk, w.slot_k + s * k * m);
        }
    }
    if (out.P0) copy(team, nn, w.P, out.P0);
    if (!trajectory) {
        // The gains of step 1 are still in K, kk, and the dynamics of step 1 in the step buffers.
        for (idx c = 0; c < k; ++c)
            if (out.u1[c])
                riccati_rollout_step(team, n, m, w.K, w.kk + c * m, w.step.a, w.step.B, p.h0[c], out.u1[c],
                                           w.h_scratch + c * 2 * n, w.tmp);
        return {};
    }
    for (idx t = 1; t <= T; ++t) {
        const idx s = t - 1;
        w.step.load_step(team, p, t);
        for (idx c = 0; c < k; ++c) {
            RolloutCursor<R> cur =
                rollout_cursor(team, p, out, c, t, w.h_scratch + c * 2 * n, w.u_scratch, w.lambda_scratch);
            riccati_rollout_step(team, n, m, w.slot_K + s * m * n, w.slot_k + (s * k + c) * m, w.step.a, w.step.B,
                                       cur.h_prev, cur.u, cur.h, w.tmp);
            gemv_n(team, n, n, R(1), w.slot_P + s * nn, n, cur.h, R(0), cur.lambda);
            each(team, n, [&](idx i) { cur.lambda[i] += w.slot_p[(s * k + c) * n + i]; });
            team.sync();
            finish_rollout_step(team, p, out, c, t, w.step.a, cur);
        }
    }
    return {};
}

TTC_ISA_END
}  // namespace ttc::core
