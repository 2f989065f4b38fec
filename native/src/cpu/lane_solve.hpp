// Solving a group of kLaneWidth problems as one problem over Lanes (lanes.hpp, DESIGN.md §3.1), for both input forms:
// the forward into the caller's outputs, and the backward's primal and adjoint LQRs (§4) into per-problem
// trajectories, with either solver. A form supplies the group (discounted_lanes.hpp, explicit_lanes.hpp): its
// problems one by one, and their steps, primal linear costs and h_0 interleaved. Each lane computes the bits the
// one-problem solve computes, so a group that cannot be solved this way (a small |a| that the symplectic solver hands
// to Riccati, a failure, a non-finite output) is simply solved again one problem at a time, which also reports the
// failure exactly as before.
#pragma once

#include <algorithm>
#include <numeric>

#include "lanes.hpp"
#include "problem_solve.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

// A group's problems one by one, and the same problems interleaved into one problem over Lanes.
template <class R, class Steps, class LaneSteps>
struct LaneGroup {
    static constexpr idx W = kLaneWidth<R>;
    Steps one[W];
    LinearSeries<R> one_primal[W];
    const R* one_h0[W];
    LaneSteps steps;
    LinearSeries<LanesOf<R>> primal;
    const LanesOf<R>* h0 = nullptr;
};

// Writes one problem's `count` values into lane l of `to`, and reads them back out of lane l of `from`.
template <class R>
void put_lane(const R* from, idx count, LanesOf<R>* to, idx l) {
    for (idx e = 0; e < count; ++e) lane(to[e], l) = from[e];
}
template <class R>
void take_lane(const LanesOf<R>* from, idx count, R* to, idx l) {
    for (idx e = 0; e < count; ++e) to[e] = lane(from[e], l);
}

// Each problem's linear costs for t = 1..T, read through its own series (zeros past its extent, or where absent) and
// interleaved into dense [T, n] and [T, m] series over Lanes at q and r. Scratch `row`: max(n, m).
template <class R>
LinearSeries<LanesOf<R>> interleave_series(const LinearSeries<R>* one, idx T, idx n, idx m, LanesOf<R>* q,
                                           LanesOf<R>* r, R* row) {
    for (idx l = 0; l < kLaneWidth<R>; ++l)
        for (idx t = 1; t <= T; ++t) {
            one[l].load_q(SoloTeam{}, t, n, row);
            put_lane(row, n, q + (t - 1) * n, l);
            one[l].load_r(SoloTeam{}, t, m, row);
            put_lane(row, m, r + (t - 1) * m, l);
        }
    LinearSeries<LanesOf<R>> series;
    series.q = Slice<const LanesOf<R>>{q, T, n, 1, 0};
    series.r = Slice<const LanesOf<R>>{r, T, m, 1, 0};
    return series;
}

// Solves one problem over Lanes with the chosen solver in the chunk's lane workspace. The choice alone decides: a
// group that the symplectic solver must not solve (small |a|) has been declined by the form already.
template <class L, class Steps>
SolveFault solve_in_lanes(const LqrProblem<L, Steps>& lqr, const LqrOutputs<L>& out, const SolverChoice& choice,
                          std::vector<L>& storage) {
    const LqrShape shape{lqr.n, lqr.m, lqr.T, lqr.k, out.wants_trajectory(), choice.full_storage};
    const idx need = lqr_workspace_elements<L>(choice.riccati, shape);
    storage.resize(need);
    Arena<L> arena(storage.data(), need);
    if (choice.riccati) {
        RiccatiWorkspace<L> w = RiccatiWorkspace<L>::carve(arena, shape);
        return solve_riccati(SoloTeam{}, lqr, out, w);
    }
    SymplecticWorkspace<L> w = SymplecticWorkspace<L>::carve(arena, shape);
    return SymplecticSolver<SoloTeam, L, Steps>(SoloTeam{}, lqr, out, w, choice.full_storage).run();
}

// A group in lanes takes the chosen solver for all its problems, so it cannot hold a problem that the symplectic
// solver hands to Riccati (small |a|, §3.2).
template <class R, class Steps>
bool fits_in_lanes(const LqrProblem<R, Steps>& p, const SolverChoice& choice) {
    return choice.riccati || !solves_by_riccati(p, choice);
}

// The forward of the group's problems b0 .. b0 + kLaneWidth - 1 into the caller's outputs, its sweep states recorded
// in `saved` where it points; returns true, or false having written no output.
template <class R, class Group>
bool forward_group(const Group& g, const Dims& d, idx b0, const ttc_solution& s, const SolverChoice& choice,
                   ChunkScratch<R>& scratch, const SavedTops<LanesOf<R>>& saved = {}) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, T = d.T;
    const auto lqr = lqr_with_primal(g.steps, d, 1, g.primal, g.h0);

    // The requested outputs, in lanes, one after another.
    LqrOutputs<L> out;
    out.saved = saved;
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
    const SolveFault fault = solve_in_lanes(lqr, out, choice, scratch.lane_solver);
    if (fault.failed() || !all_finite(scratch.lane_outputs.data(), total)) return false;

    for (idx f = 0; f < kFields; ++f) {
        if (tensors[f]->ndim == 0) continue;
        for (idx l = 0; l < W; ++l) take_lane(*fields[f], sizes[f], dense_at<R>(*tensors[f], b0 + l, sizes[f]), l);
    }
    return true;
}

// The backward of the group's problems b0 .. b0 + kLaneWidth - 1: their primal and adjoint LQRs (DESIGN.md §4)
// solved in lanes, then write_grads(lane_x, scatter), which writes the problems' gradients in order b0, b0 + 1, ...
// from their trajectories in lanes, lane_x, or from their own: scatter() copies lane l to problem b0 + l's
// trajectories, laid out as the one-problem backward lays them out, and returns them. Only a form that calls scatter()
// gets per-problem trajectories in its scratch. Returns false, having written no gradient, when the lane solve fails
// or a trajectory is not finite. `saved`, when it restores, holds the group's sweep states from its forward.
template <class R, class Group, class WriteGrads>
bool backward_group(const Group& g, const Dims& d, idx b0, const ttc_upstream& up, const SolverChoice& choice,
                    ChunkScratch<R>& scratch, const WriteGrads& write_grads, const SavedTops<LanesOf<R>>& saved = {}) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, T = d.T, size = trajectory_pair_elements(n, m, T);

    LinearSeries<R> adjoint[W];
    for (idx l = 0; l < W; ++l) adjoint[l] = adjoint_series<R>(d, b0 + l, up);
    scratch.lane_adjoint.resize(T * (n + m));
    scratch.accumulators.resize(n > m ? n : m);
    L* q = scratch.lane_adjoint.data();
    auto lqr = lqr_with_primal(g.steps, d, 2, g.primal, g.h0);
    lqr.linear[1] = interleave_series(adjoint, T, n, m, q, q + T * n, scratch.accumulators.data());

    scratch.lane_outputs.resize(size);
    LqrOutputs<L> out;
    out.saved = saved;
    TrajectoryPair<L> lane_x;
    lqr.h0[1] = carve_trajectory_pair(SoloTeam{}, d, scratch.lane_outputs.data(), &out, &lane_x);
    const SolveFault fault = solve_in_lanes(lqr, out, choice, scratch.lane_solver);
    if (fault.failed() || !all_finite(scratch.lane_outputs.data() + n, size - n)) return false;

    TrajectoryPair<R> x[W];
    auto scatter = [&]() -> const TrajectoryPair<R>* {
        scratch.trajectory.resize(W * size);
        for (idx l = 0; l < W; ++l) {
            R* own = scratch.trajectory.data() + l * size;
            LqrOutputs<R> unused;
            lay_out_trajectory_pair(d, own, &unused, &x[l]);
            take_lane(scratch.lane_outputs.data(), size, own, l);  // every element, the adjoint's h_0 = 0 included
        }
        return x;
    };
    write_grads(lane_x, scatter);
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

// Runs every problem of a call in groups (solve_in_groups), or one at a time (run_problems) when the horizon is empty.
// A unit of work is one group; when the gradients sum over the heads of a token it is whole tokens too, lcm(W, H)
// problems, so that one thread adds a token's heads in order 0..H-1.
template <class R, class Group, class One>
Failure run_in_groups(const Dims& d, const SolverChoice& choice, bool by_token, const Group& solve_group,
                      const One& solve_one) {
    if (d.T == 0) return run_problems<R>(d, by_token, solve_one);
    constexpr idx W = kLaneWidth<R>;
    const idx per_unit = by_token ? std::lcm(W, d.H) : W;
    return run_units<R>((d.problems() + per_unit - 1) / per_unit, [&](idx unit, ChunkScratch<R>& scratch) {
        const idx begin = unit * per_unit;
        return solve_in_groups<R>(begin, std::min(begin + per_unit, d.problems()), scratch, solve_group, solve_one);
    });
}

TTC_ISA_END
}  // namespace ttc::cpu
