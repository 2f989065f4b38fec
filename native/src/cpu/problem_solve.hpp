// Solving problem b of a batch, for both input forms: the forward into the caller's dense outputs, and the
// backward's primal + adjoint solve.
#pragma once

#include "api_support.hpp"
#include "gradients.hpp"
#include "value_check.hpp"

namespace ttc::cpu {

template <class R>
Failure check_upstream_values(const ttc_upstream& up, const Dims& d, idx b) {
    Failure f = check_finite<R>(up.grad_u, "grad_u", b / d.H, b % d.H, d.H);
    if (!f.failed()) f = check_finite<R>(up.grad_h, "grad_h", b / d.H, b % d.H, d.H);
    return f;
}

template <class R, class Steps>
Failure solve_forward(const Steps& steps, const Dims& d, idx b, const LinearSeries<R>& primal, const R* h0,
                      const ttc_solution& s, const SolverChoice& choice, ChunkScratch<R>& scratch) {
    const idx n = d.n, m = d.m, T = d.T;
    LqrProblem<R, Steps> lqr;
    lqr.steps = &steps;
    lqr.n = n;
    lqr.m = m;
    lqr.T = T;
    lqr.k = 1;
    lqr.linear[0] = primal;
    lqr.h0[0] = h0;
    LqrOutputs<R> out;
    out.u1[0] = dense_at<R>(s.u1, b, m);
    out.u[0] = dense_at<R>(s.u, b, T * m);
    out.h[0] = dense_at<R>(s.h, b, (T + 1) * n);
    out.lambda[0] = dense_at<R>(s.lambda, b, (T + 1) * n);
    out.P0 = dense_at<R>(s.P0, b, n * n);
    Failure r = solve_lqr(lqr, out, choice, scratch.solver);
    if (!r.failed()) r = require_finite(out.u1[0], m, "u1", b);
    if (!r.failed()) r = require_finite(out.u[0], T * m, "u", b);
    if (!r.failed()) r = require_finite(out.h[0], (T + 1) * n, "h", b);
    if (!r.failed()) r = require_finite(out.lambda[0], (T + 1) * n, "lambda", b);
    if (!r.failed()) r = require_finite(out.P0, n * n, "P0", b);
    return tag(std::move(r), d, b);
}

// DESIGN.md §4: the primal LQR and the adjoint LQR (same A, B, Q, R; h_0 = 0; q := dL/dh, r := dL/du) share one
// sweep as two affine columns, and both trajectories are rolled out by E9 (never shooting).

template <class R, class Steps>
Failure solve_primal_and_adjoint(const Steps& steps, const Dims& d, idx b, const LinearSeries<R>& primal,
                                 const R* h0, const ttc_upstream& up, const SolverChoice& choice,
                                 ChunkScratch<R>& scratch, TrajectoryPair<R>* x) {
    const idx n = d.n, m = d.m, T = d.T, tok = b / d.H, head = b % d.H;
    const idx traj = 2 * (T + 1) * n + T * m;
    scratch.trajectory.assign(n + 2 * traj, R(0));  // zero h_0 of the adjoint, then (h, u, lambda) per column
    R* base = scratch.trajectory.data();
    LqrProblem<R, Steps> lqr;
    lqr.steps = &steps;
    lqr.n = n;
    lqr.m = m;
    lqr.T = T;
    lqr.k = 2;
    lqr.linear[0] = primal;
    lqr.linear[1].q = slice_of<const R>(up.grad_h, tok, head);
    lqr.linear[1].r = slice_of<const R>(up.grad_u, tok, head);
    lqr.h0[0] = h0;
    lqr.h0[1] = base;
    LqrOutputs<R> out;
    for (idx col = 0; col < 2; ++col) {
        R* t = base + n + col * traj;
        out.h[col] = t;
        out.u[col] = t + (T + 1) * n;
        out.lambda[col] = t + (T + 1) * n + T * m;
    }
    Failure r = solve_lqr(lqr, out, choice, scratch.solver);
    if (!r.failed()) r = require_finite(base + n, 2 * traj, "trajectory", b);
    if (r.failed()) return tag(std::move(r), d, b);
    *x = TrajectoryPair<R>{n, m, T, out.h[0], out.u[0], out.lambda[0], out.h[1], out.u[1], out.lambda[1]};
    return {};
}

}  // namespace ttc::cpu
