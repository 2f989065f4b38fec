// Problem b of a batch as the solvers see it, for both input forms: its step source, linear costs and h_0, and the
// primal + adjoint pair of the backward (DESIGN.md §4). Shared by the CPU and CUDA backends; no value is checked here.
#pragma once

#include "gradients.hpp"
#include "lqr_problem.hpp"
#include "step_sources.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

struct Dims {
    idx N = 0, H = 0, T = 0, n = 0, m = 0;
    TTC_HD idx problems() const { return N * H; }
};

template <class R>
TTC_HD ExplicitSteps<R> explicit_steps(const ttc_explicit_problem& p, const Dims& d, idx b) {
    const idx tok = b / d.H, head = b % d.H;
    ExplicitSteps<R> s;
    s.n = d.n;
    s.m = d.m;
    s.T = d.T;
    s.a = slice_of<const R>(p.a, tok, head);
    s.B = slice_of<const R>(p.B, tok, head);
    s.Q = slice_of<const R>(p.Q, tok, head);
    s.rho = slice_of<const R>(p.rho, tok, head);
    return s;
}

template <class R>
TTC_HD LinearSeries<R> explicit_linear(const ttc_explicit_problem& p, const Dims& d, idx b) {
    LinearSeries<R> primal;
    primal.q = slice_of<const R>(p.q, b / d.H, b % d.H);
    primal.r = slice_of<const R>(p.r, b / d.H, b % d.H);
    return primal;
}

// Elements of the dense buffer gather_discounted fills.
TTC_HD idx discounted_param_elements(idx n, idx m) {
    return n + n * m + m + n * n + n + n * n + m + n + (n > m ? n : m);
}

// Gathers problem b's discounted parameters into `buffer` (Q and Q_f symmetrised) and returns its step source (E3).
template <class Team, class R>
TTC_HD DiscountedSteps<R> gather_discounted(const Team& team, const ttc_discounted_problem& p, const Dims& d, idx b,
                                            R* buffer, const R** h0) {
    const idx n = d.n, m = d.m, tok = b / d.H, head = b % d.H;
    Arena<R> arena(buffer, discounted_param_elements(n, m));
    R* a = arena.take(n);
    R* B = arena.take(n * m);
    R* lgb = arena.take(m);
    R* Q = arena.take(n * n);
    R* lgq = arena.take(n);
    R* Qf = arena.take(n * n);
    R* rho = arena.take(m);
    R* h = arena.take(n);
    gather_vector(team, slice_of<const R>(p.a, tok, head), n, a);
    gather_matrix(team, slice_of<const R>(p.B, tok, head), n, m, B);
    gather_vector(team, slice_of<const R>(p.log_gamma_b, tok, head), m, lgb);
    gather_matrix(team, slice_of<const R>(p.Q, tok, head), n, n, Q);
    symmetrise(team, n, Q, n);
    gather_vector(team, slice_of<const R>(p.log_gamma_q, tok, head), n, lgq);
    gather_matrix(team, slice_of<const R>(p.Qf, tok, head), n, n, Qf);
    symmetrise(team, n, Qf, n);
    gather_vector(team, slice_of<const R>(p.rho, tok, head), m, rho);
    gather_vector(team, slice_of<const R>(p.h0, tok, head), n, h);
    DiscountedSteps<R> s;
    s.n = n;
    s.m = m;
    s.T = d.T;
    s.log_gamma_a = *slice_of<const R>(p.log_gamma_a, tok, head).base;
    s.a = a;
    s.B = B;
    s.log_gamma_b = lgb;
    s.Q = Q;
    s.log_gamma_q = lgq;
    s.Qf = Qf;
    s.rho = rho;
    s.gamma_scratch = arena.take(n > m ? n : m);
    *h0 = h;
    return s;
}

// Problem b's part of a dense output holding `per_problem` elements per problem; null when absent.
template <class R>
TTC_HD R* dense_at(const ttc_tensor& t, idx b, idx per_problem) {
    return t.ndim == 0 ? nullptr : static_cast<R*>(t.data) + b * per_problem;
}

// An LQR over steps with k affine columns, the first with the primal linear costs and initial state h0.
template <class R, class Steps>
TTC_HD LqrProblem<R, Steps> lqr_with_primal(const Steps& steps, const Dims& d, idx k, const LinearSeries<R>& primal,
                                            const R* h0) {
    LqrProblem<R, Steps> lqr;
    lqr.steps = &steps;
    lqr.n = d.n;
    lqr.m = d.m;
    lqr.T = d.T;
    lqr.k = k;
    lqr.linear[0] = primal;
    lqr.h0[0] = h0;
    return lqr;
}

// The forward LQR of problem b, solved straight into the caller's dense outputs *out.
template <class R, class Steps>
TTC_HD LqrProblem<R, Steps> forward_problem(const Steps& steps, const Dims& d, idx b, const LinearSeries<R>& primal,
                                            const R* h0, const ttc_solution& s, LqrOutputs<R>* out) {
    const idx n = d.n, m = d.m, T = d.T;
    const LqrProblem<R, Steps> lqr = lqr_with_primal(steps, d, 1, primal, h0);
    out->u1[0] = dense_at<R>(s.u1, b, m);
    out->u[0] = dense_at<R>(s.u, b, T * m);
    out->h[0] = dense_at<R>(s.h, b, (T + 1) * n);
    out->lambda[0] = dense_at<R>(s.lambda, b, (T + 1) * n);
    out->P0 = dense_at<R>(s.P0, b, n * n);
    return lqr;
}

// Elements of the buffer primal_and_adjoint carves: the adjoint's zero h_0, then (h, u, lambda) per column.
TTC_HD idx trajectory_pair_elements(idx n, idx m, idx T) { return n + 2 * (2 * (T + 1) * n + T * m); }

// Points the two columns' outputs into `buffer` (trajectory_pair_elements(n, m, T)), without touching it: *out for
// the solver, *x for the gradients.
template <class R>
TTC_HD void lay_out_trajectory_pair(const Dims& d, R* buffer, LqrOutputs<R>* out, TrajectoryPair<R>* x) {
    const idx n = d.n, m = d.m, T = d.T;
    const idx traj = 2 * (T + 1) * n + T * m;
    for (idx col = 0; col < 2; ++col) {
        R* t = buffer + n + col * traj;
        out->h[col] = t;
        out->u[col] = t + (T + 1) * n;
        out->lambda[col] = t + (T + 1) * n + T * m;
    }
    x->n = n;
    x->m = m;
    x->T = T;
    x->h = out->h[0];
    x->u = out->u[0];
    x->lambda = out->lambda[0];
    x->dh = out->h[1];
    x->du = out->u[1];
    x->dlambda = out->lambda[1];
}

// Zeroes `buffer` and lays it out (lay_out_trajectory_pair). Returns the adjoint's h_0 = 0.
template <class Team, class R>
TTC_HD const R* carve_trajectory_pair(const Team& team, const Dims& d, R* buffer, LqrOutputs<R>* out,
                                      TrajectoryPair<R>* x) {
    fill(team, trajectory_pair_elements(d.n, d.m, d.T), R(0), buffer);
    lay_out_trajectory_pair(d, buffer, out, x);
    return buffer;
}

// The adjoint LQR's linear costs for problem b (DESIGN.md §4): q := dL/dh, r := dL/du.
template <class R>
TTC_HD LinearSeries<R> adjoint_series(const Dims& d, idx b, const ttc_upstream& up) {
    LinearSeries<R> series;
    series.q = slice_of<const R>(up.grad_h, b / d.H, b % d.H);
    series.r = slice_of<const R>(up.grad_u, b / d.H, b % d.H);
    return series;
}

// DESIGN.md §4: the primal LQR and the adjoint LQR (same A, B, Q, R; h_0 = 0; adjoint_series) share one sweep as two
// affine columns; both trajectories are rolled out by E9 (never shooting). `buffer` holds
// trajectory_pair_elements(n, m, T); the solution lands in *x once the returned problem is solved into *out.
template <class Team, class R, class Steps>
TTC_HD LqrProblem<R, Steps> primal_and_adjoint(const Team& team, const Steps& steps, const Dims& d, idx b,
                                               const LinearSeries<R>& primal, const R* h0, const ttc_upstream& up,
                                               R* buffer, LqrOutputs<R>* out, TrajectoryPair<R>* x) {
    LqrProblem<R, Steps> lqr = lqr_with_primal(steps, d, 2, primal, h0);
    lqr.linear[1] = adjoint_series<R>(d, b, up);
    lqr.h0[1] = carve_trajectory_pair(team, d, buffer, out, x);
    return lqr;
}

TTC_ISA_END
}  // namespace ttc::core
