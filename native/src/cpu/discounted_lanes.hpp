// The discounted forward and backward of kLaneWidth problems at once, in the batch-SIMD layout (lanes.hpp,
// DESIGN.md §3.1): the group's parameters are gathered as for one problem, interleaved lane by lane, and solved by
// the symplectic solver of core/ instantiated with Lanes. Each lane computes the bits the one-problem solve computes,
// so a group that cannot be solved this way (a small |a| that needs Riccati, a failure, a non-finite output) is
// simply solved again one problem at a time, which also reports the failure exactly as before.
#pragma once

#include "lanes.hpp"
#include "problem_solve.hpp"

namespace ttc::cpu {

// Whether a forward call may solve its problems in lanes: the symplectic solver (Riccati runs one problem at a time).
inline bool forward_in_lanes(const SolverChoice& choice, const Dims& d) { return !choice.riccati && d.T > 0; }

// Whether a backward call may solve its primal and adjoint LQRs in lanes: the symplectic solver.
inline bool backward_in_lanes(const SolverChoice& choice, const Dims& d) { return !choice.riccati && d.T > 0; }

// Problems b0 .. b0 + kLaneWidth - 1 gathered one by one (`one`, `h0`) and interleaved into one problem over Lanes
// (`steps`, `lane_h0`), which points into the chunk's scratch.
template <class R>
struct LaneGroup {
    static constexpr idx W = kLaneWidth<R>;
    DiscountedSteps<R> one[W];
    const R* h0[W];
    DiscountedSteps<LanesOf<R>> steps;
    const LanesOf<R>* lane_h0 = nullptr;
};

// Gathers the group starting at b0 into *g; false when one of its problems is solved by Riccati (small |a|, §3.2).
template <class R>
bool gather_lane_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const SolverChoice& choice,
                       ChunkScratch<R>& scratch, LaneGroup<R>* g) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, E = discounted_param_elements(n, m);
    scratch.params.resize(W * E);
    for (idx l = 0; l < W; ++l) {
        g->one[l] = gather_discounted(SoloTeam{}, p, d, b0 + l, scratch.params.data() + l * E, &g->h0[l]);
        if (solves_by_riccati(lqr_with_primal(g->one[l], d, 1, LinearSeries<R>{}, g->h0[l]), choice)) return false;
    }
    scratch.lane_params.resize(E);
    for (idx e = 0; e < E; ++e)
        for (idx l = 0; l < W; ++l) lane(scratch.lane_params[e], l) = scratch.params[l * E + e];
    // Every problem's buffer has the same layout: problem 0's offsets place the interleaved fields.
    auto at = [&](const R* field) { return scratch.lane_params.data() + (field - scratch.params.data()); };
    const DiscountedSteps<R>& first = g->one[0];
    DiscountedSteps<L>& steps = g->steps;
    steps.n = n;
    steps.m = m;
    steps.T = d.T;
    for (idx l = 0; l < W; ++l) lane(steps.log_gamma_a, l) = g->one[l].log_gamma_a;
    steps.a = at(first.a);
    steps.B = at(first.B);
    steps.log_gamma_b = at(first.log_gamma_b);
    steps.Q = at(first.Q);
    steps.log_gamma_q = at(first.log_gamma_q);
    steps.Qf = at(first.Qf);
    steps.rho = at(first.rho);
    steps.gamma_scratch = at(first.gamma_scratch);
    g->lane_h0 = at(g->h0[0]);
    return true;
}

// Solves one problem over Lanes with the symplectic solver in the chunk's lane workspace.
template <class L, class Steps>
SolveFault solve_symplectic_lanes(const LqrProblem<L, Steps>& lqr, const LqrOutputs<L>& out,
                                  const SolverChoice& choice, std::vector<L>& storage) {
    const LqrShape shape{lqr.n, lqr.m, lqr.T, lqr.k, out.wants_trajectory(), choice.full_storage};
    const idx need = lqr_workspace_elements<L>(false, shape);
    storage.resize(need);
    Arena<L> arena(storage.data(), need);
    SymplecticWorkspace<L> w = SymplecticWorkspace<L>::carve(arena, shape);
    return SymplecticSolver<SoloTeam, L, Steps>(SoloTeam{}, lqr, out, w, choice.full_storage).run();
}

// Solves problems b0 .. b0 + kLaneWidth - 1 into the caller's outputs and returns true, or returns false having
// written no output.
template <class R>
bool solve_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_solution& s,
                            const SolverChoice& choice, ChunkScratch<R>& scratch) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, T = d.T;
    LaneGroup<R> g;
    if (!gather_lane_group(p, d, b0, choice, scratch, &g)) return false;
    const LqrProblem<L, DiscountedSteps<L>> lqr = lqr_with_primal(g.steps, d, 1, LinearSeries<L>{}, g.lane_h0);

    // The requested outputs, in lanes, one after another.
    LqrOutputs<L> out;
    const ttc_tensor* tensors[] = {&s.u1, &s.u, &s.h, &s.lambda, &s.P0};
    L** fields[] = {&out.u1[0], &out.u[0], &out.h[0], &out.lambda[0], &out.P0};
    const idx sizes[] = {m, T * m, (T + 1) * n, (T + 1) * n, n * n};
    constexpr idx kFields = 5;
    idx total = 0;
    for (idx f = 0; f < kFields; ++f) total += tensors[f]->ndim != 0 ? sizes[f] : 0;
    scratch.lane_outputs.resize(total);
    for (idx f = 0, at = 0; f < kFields; ++f)
        if (tensors[f]->ndim != 0) {
            *fields[f] = scratch.lane_outputs.data() + at;
            at += sizes[f];
        }
    const SolveFault fault = solve_symplectic_lanes(lqr, out, choice, scratch.lane_solver);
    if (fault.failed() || !all_finite(scratch.lane_outputs.data(), total)) return false;

    for (idx f = 0; f < kFields; ++f) {
        if (tensors[f]->ndim == 0) continue;
        const L* field = *fields[f];
        for (idx l = 0; l < W; ++l) {
            R* mine = dense_at<R>(*tensors[f], b0 + l, sizes[f]);
            for (idx e = 0; e < sizes[f]; ++e) mine[e] = lane(field[e], l);
        }
    }
    return true;
}

// The backward of problems b0 .. b0 + kLaneWidth - 1: their primal and adjoint LQRs (DESIGN.md §4) solved in lanes,
// then each problem's gradients written in order b0, b0 + 1, ... from its own trajectories, exactly as the
// one-problem backward writes them. Returns false having written no gradient.
template <class R>
bool backward_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_upstream& up,
                               const ttc_discounted_grads& grads, const SolverChoice& choice,
                               ChunkScratch<R>& scratch) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, T = d.T, size = trajectory_pair_elements(n, m, T);
    LaneGroup<R> g;
    if (!gather_lane_group(p, d, b0, choice, scratch, &g)) return false;

    // Each problem's own LQR gives its upstream series and its trajectory layout; the adjoint's linear costs are
    // read through it for every step, so a lane sees exactly the values (zeros past Tu, Th) its problem would.
    scratch.trajectory.resize(W * size);
    scratch.lane_linear.resize(T * (n + m));
    L* lane_q = scratch.lane_linear.data();
    L* lane_r = lane_q + T * n;
    TrajectoryPair<R> x[W];
    std::vector<R>& row = scratch.accumulators;  // one step's q or r; the gradient sums come after
    row.resize(n > m ? n : m);
    for (idx l = 0; l < W; ++l) {
        LqrOutputs<R> unused;
        const LqrProblem<R, DiscountedSteps<R>> one = primal_and_adjoint(
            SoloTeam{}, g.one[l], d, b0 + l, LinearSeries<R>{}, g.h0[l], up, scratch.trajectory.data() + l * size,
            &unused, &x[l]);
        for (idx t = 1; t <= T; ++t) {
            one.linear[1].load_q(SoloTeam{}, t, n, row.data());
            for (idx i = 0; i < n; ++i) lane(lane_q[(t - 1) * n + i], l) = row[i];
            one.linear[1].load_r(SoloTeam{}, t, m, row.data());
            for (idx j = 0; j < m; ++j) lane(lane_r[(t - 1) * m + j], l) = row[j];
        }
    }
    LinearSeries<L> adjoint;
    adjoint.q = Slice<const L>{lane_q, T, n, 1, 0};
    adjoint.r = Slice<const L>{lane_r, T, m, 1, 0};

    scratch.lane_outputs.resize(size);
    LqrOutputs<L> out;
    TrajectoryPair<L> lane_x;
    LqrProblem<L, DiscountedSteps<L>> lqr = lqr_with_primal(g.steps, d, 2, LinearSeries<L>{}, g.lane_h0);
    lqr.linear[1] = adjoint;
    lqr.h0[1] = carve_trajectory_pair(SoloTeam{}, d, scratch.lane_outputs.data(), &out, &lane_x);
    const SolveFault fault = solve_symplectic_lanes(lqr, out, choice, scratch.lane_solver);
    if (fault.failed() || !all_finite(scratch.lane_outputs.data() + n, size - n)) return false;

    for (idx l = 0; l < W; ++l) {
        R* mine = scratch.trajectory.data() + l * size;
        for (idx e = 0; e < size; ++e) mine[e] = lane(scratch.lane_outputs[e], l);
    }
    scratch.accumulators.resize(discounted_grad_elements(n, m));
    for (idx l = 0; l < W; ++l) {
        const idx b = b0 + l;
        write_discounted_grads(SoloTeam{}, grads, g.one[l], x[l], b / d.H, b % d.H, scratch.accumulators.data());
    }
    return true;
}

// Runs problems begin .. end - 1 in order: each whole group of kLaneWidth through solve_group(b0, scratch) -> bool,
// and any problem of a group it declines, or of the partial group at the end, through solve_one(b, scratch).
template <class R, class Group, class One>
Failure solve_in_groups(idx begin, idx end, ChunkScratch<R>& scratch, const Group& solve_group, const One& solve_one) {
    constexpr idx W = kLaneWidth<R>;
    for (idx b0 = begin; b0 < end; b0 += W) {
        const idx stop = b0 + W < end ? b0 + W : end;
        if (stop - b0 == W && solve_group(b0, scratch)) continue;
        for (idx b = b0; b < stop; ++b) {
            Failure r = solve_one(b, scratch);
            if (r.failed()) return r;
        }
    }
    return {};
}

}  // namespace ttc::cpu
