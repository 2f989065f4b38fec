// The discounted forward of kLaneWidth problems at once, in the batch-SIMD layout (lanes.hpp, DESIGN.md §3.1): the
// group's parameters are gathered as for one problem, interleaved lane by lane, and solved by the symplectic solver
// of core/ instantiated with Lanes. Each lane computes the bits the one-problem solve computes, so a group that
// cannot be solved this way (a small |a| that needs Riccati, a failure, a non-finite output) is simply solved again
// one problem at a time, which also reports the failure exactly as before.
#pragma once

#include "lanes.hpp"
#include "problem_solve.hpp"

namespace ttc::cpu {

// Whether a forward call may solve its problems in lanes: the symplectic solver, with u_1 and P_0 as the only
// outputs (a trajectory, and the Riccati solver, run one problem at a time).
inline bool forward_in_lanes(const ttc_solution& s, const SolverChoice& choice, const Dims& d) {
    return !choice.riccati && d.T > 0 && s.u.ndim == 0 && s.h.ndim == 0 && s.lambda.ndim == 0;
}

// Solves problems b0 .. b0 + kLaneWidth - 1 into the caller's outputs and returns true, or returns false having
// written no output.
template <class R>
bool solve_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_solution& s,
                            const SolverChoice& choice, ChunkScratch<R>& scratch) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, E = discounted_param_elements(n, m);

    scratch.params.resize(W * E);
    DiscountedSteps<R> one[W];
    const R* h0[W];
    for (idx l = 0; l < W; ++l) {
        one[l] = gather_discounted(SoloTeam{}, p, d, b0 + l, scratch.params.data() + l * E, &h0[l]);
        if (solves_by_riccati(lqr_with_primal(one[l], d, 1, LinearSeries<R>{}, h0[l]), choice)) return false;
    }
    scratch.lane_params.resize(E);
    for (idx e = 0; e < E; ++e)
        for (idx l = 0; l < W; ++l) lane(scratch.lane_params[e], l) = scratch.params[l * E + e];
    // Every problem's buffer has the same layout: problem 0's offsets place the interleaved fields.
    auto at = [&](const R* field) { return scratch.lane_params.data() + (field - scratch.params.data()); };
    DiscountedSteps<L> steps;
    steps.n = n;
    steps.m = m;
    steps.T = d.T;
    for (idx l = 0; l < W; ++l) lane(steps.log_gamma_a, l) = one[l].log_gamma_a;
    steps.a = at(one[0].a);
    steps.B = at(one[0].B);
    steps.log_gamma_b = at(one[0].log_gamma_b);
    steps.Q = at(one[0].Q);
    steps.log_gamma_q = at(one[0].log_gamma_q);
    steps.Qf = at(one[0].Qf);
    steps.rho = at(one[0].rho);
    steps.gamma_scratch = at(one[0].gamma_scratch);
    const LqrProblem<L, DiscountedSteps<L>> lqr = lqr_with_primal(steps, d, 1, LinearSeries<L>{}, at(h0[0]));

    const bool wants_P0 = s.P0.ndim != 0;
    scratch.lane_outputs.resize(m + (wants_P0 ? n * n : 0));
    LqrOutputs<L> out;
    out.u1[0] = scratch.lane_outputs.data();
    out.P0 = wants_P0 ? scratch.lane_outputs.data() + m : nullptr;
    const LqrShape shape{n, m, d.T, 1, false, choice.full_storage};
    const idx need = lqr_workspace_elements<L>(false, shape);
    scratch.lane_solver.resize(need);
    Arena<L> arena(scratch.lane_solver.data(), need);
    SymplecticWorkspace<L> w = SymplecticWorkspace<L>::carve(arena, shape);
    const SolveFault fault = SymplecticSolver<SoloTeam, L, DiscountedSteps<L>>(SoloTeam{}, lqr, out, w,
                                                                               choice.full_storage).run();
    if (fault.failed() || !all_finite(scratch.lane_outputs.data(), static_cast<idx>(scratch.lane_outputs.size())))
        return false;

    for (idx l = 0; l < W; ++l) {
        if (R* u1 = dense_at<R>(s.u1, b0 + l, m))
            for (idx j = 0; j < m; ++j) u1[j] = lane(out.u1[0][j], l);
        if (R* P0 = dense_at<R>(s.P0, b0 + l, n * n))
            for (idx e = 0; e < n * n; ++e) P0[e] = lane(out.P0[e], l);
    }
    return true;
}

}  // namespace ttc::cpu
