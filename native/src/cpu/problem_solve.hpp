// Solving problem b of a batch, for both input forms: the forward into the caller's dense outputs, and the
// backward's primal + adjoint solve.
#pragma once

#include "api_support.hpp"
#include "form_checks.hpp"
#include "../core/problem_setup.hpp"
#include "value_check.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

// A forward call's arguments (form_checks.hpp), then every problem's values: the checks that write no output.
template <class R, class Problem>
Failure check_forward_inputs(const Problem* problem, const ttc_options* options, const ttc_solution* solution,
                             SolverChoice* choice, Dims* d) {
    Failure f = check_forward_call(problem, options, solution, sizeof(R), choice, d);
    if (f.failed()) return f;
    return run_units<R>(d->problems(),
                        [&](idx b, ChunkScratch<R>&) { return check_problem_values<R>(*problem, *d, b); });
}

// The same for a backward call, whose upstream gradients are checked with each problem.
template <class R, class Problem, class Grads>
Failure check_backward_inputs(const Problem* problem, const ttc_options* options, const ttc_upstream* upstream,
                              const Grads* grads, SolverChoice* choice, Dims* d) {
    Failure f = check_backward_call(problem, options, upstream, grads, sizeof(R), choice, d);
    if (f.failed()) return f;
    return run_units<R>(d->problems(),
                        [&](idx b, ChunkScratch<R>&) { return check_problem_values<R>(*problem, *d, b, upstream); });
}

template <class R, class Steps>
Failure solve_forward(const Steps& steps, const Dims& d, idx b, const LinearSeries<R>& primal, const R* h0,
                      const ttc_solution& s, const SolverChoice& choice, ChunkScratch<R>& scratch,
                      const SavedTops<R>& saved = {}) {
    const idx n = d.n, m = d.m, T = d.T;
    LqrOutputs<R> out;
    out.saved = saved;
    const LqrProblem<R, Steps> lqr = forward_problem(steps, d, b, primal, h0, s, &out);
    Failure r = solve_lqr(lqr, out, choice, scratch.solver);
    if (!r.failed()) r = require_finite(out.u1[0], m, "u1", b);
    if (!r.failed()) r = require_finite(out.u[0], T * m, "u", b);
    if (!r.failed()) r = require_finite(out.h[0], (T + 1) * n, "h", b);
    if (!r.failed()) r = require_finite(out.lambda[0], (T + 1) * n, "lambda", b);
    if (!r.failed()) r = require_finite(out.P0, n * n, "P0", b);
    return tag(std::move(r), d, b);
}

// The primal and adjoint LQR of DESIGN.md §4, solved into scratch.trajectory; *x points into it on success.
template <class R, class Steps>
Failure solve_primal_and_adjoint(const Steps& steps, const Dims& d, idx b, const LinearSeries<R>& primal,
                                 const R* h0, const ttc_upstream& up, const SolverChoice& choice,
                                 ChunkScratch<R>& scratch, TrajectoryPair<R>* x, const SavedTops<R>& saved = {}) {
    scratch.trajectory.resize(trajectory_pair_elements(d.n, d.m, d.T));
    LqrOutputs<R> out;
    out.saved = saved;
    const LqrProblem<R, Steps> lqr =
        primal_and_adjoint(SoloTeam{}, steps, d, b, primal, h0, up, scratch.trajectory.data(), &out, x);
    Failure r = solve_lqr(lqr, out, choice, scratch.solver);
    if (!r.failed())
        r = require_finite(scratch.trajectory.data() + d.n, trajectory_pair_elements(d.n, d.m, d.T) - d.n,
                           "trajectory", b);
    return tag(std::move(r), d, b);
}

TTC_ISA_END
}  // namespace ttc::cpu
