// The explicit form's group of kLaneWidth problems for lane_solve.hpp. Its per-step values are read from the caller's
// tensors step by step: each problem's step is loaded as the one-problem solve loads it (Q_t symmetrised, q_t and r_t
// zero past their extent), then interleaved lane by lane, so every lane sees its problem's exact values and the
// scratch stays independent of T.
#pragma once

#include "lane_solve.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

// The steps of kLaneWidth explicit problems as one problem over Lanes. Scratch `rows`: row_elements(n, m) scalars.
// It also keeps the current step's primal q_t and r_t, interleaved, in q_now and r_now: the primal series over
// Lanes (current_step_series) reads them with a zero stride in t. That works because StepBuffers (lqr_problem.hpp)
// loads a step's linear costs right after the same step's load_step / load_cost, which refresh them.
template <class R>
struct ExplicitLaneSteps {
    using L = LanesOf<R>;
    static constexpr idx W = kLaneWidth<R>;
    idx n = 0, m = 0, T = 0;
    const ExplicitSteps<R>* one = nullptr;         // [W]
    const LinearSeries<R>* one_primal = nullptr;  // [W]
    R* rows = nullptr;
    L *q_now = nullptr, *r_now = nullptr;  // [n], [m]

    template <class Team>
    void load_step(const Team&, idx t, L* a_t, L* B_t, L* rho_t) const {
        R* a = rows;
        R* B = a + n;
        R* rho = B + n * m;
        for (idx l = 0; l < W; ++l) {
            one[l].load_step(SoloTeam{}, t, a, B, rho);
            put_lane(a, n, a_t, l);
            put_lane(B, n * m, B_t, l);
            put_lane(rho, m, rho_t, l);
            one_primal[l].load_r(SoloTeam{}, t, m, rows);
            put_lane(rows, m, r_now, l);
        }
    }

    template <class Team>
    void load_cost(const Team&, idx t, L* Q_t) const {
        for (idx l = 0; l < W; ++l) {
            one[l].load_cost(SoloTeam{}, t, rows);
            put_lane(rows, n * n, Q_t, l);
            one_primal[l].load_q(SoloTeam{}, t, n, rows);
            put_lane(rows, n, q_now, l);
        }
    }

    // The primal linear costs over Lanes: q_now and r_now at every t.
    LinearSeries<L> current_step_series() const {
        LinearSeries<L> series;
        series.q = Slice<const L>{q_now, T, 0, 1, 0};
        series.r = Slice<const L>{r_now, T, 0, 1, 0};
        return series;
    }

    static idx row_elements(idx n, idx m) { return n + n * m + m > n * n ? n + n * m + m : n * n; }
};

template <class R>
using ExplicitLaneGroup = LaneGroup<R, ExplicitSteps<R>, ExplicitLaneSteps<R>>;

// Gathers the group starting at b0 into *g, pointing into the chunk's scratch; false when one of its problems does not
// fit in lanes (fits_in_lanes).
template <class R>
bool gather_explicit_group(const ttc_explicit_problem& p, const Dims& d, idx b0, const SolverChoice& choice,
                           ChunkScratch<R>& scratch, ExplicitLaneGroup<R>* g) {
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, T = d.T;
    scratch.params.resize(W * n);
    for (idx l = 0; l < W; ++l) {
        const idx b = b0 + l;
        g->one[l] = explicit_steps<R>(p, d, b);
        g->one_primal[l] = explicit_linear<R>(p, d, b);
        R* h0 = scratch.params.data() + l * n;
        gather_vector(SoloTeam{}, slice_of<const R>(p.h0, b / d.H, b % d.H), n, h0);
        g->one_h0[l] = h0;
        if (!fits_in_lanes(lqr_with_primal(g->one[l], d, 1, g->one_primal[l], h0), choice)) return false;
    }
    scratch.step_rows.resize(ExplicitLaneSteps<R>::row_elements(n, m));
    scratch.lane_primal.resize(n + m);
    ExplicitLaneSteps<R>& steps = g->steps;
    steps.n = n;
    steps.m = m;
    steps.T = T;
    steps.one = g->one;
    steps.one_primal = g->one_primal;
    steps.rows = scratch.step_rows.data();
    steps.q_now = scratch.lane_primal.data();
    steps.r_now = steps.q_now + n;
    g->primal = steps.current_step_series();

    scratch.lane_params.resize(n);
    for (idx l = 0; l < W; ++l) put_lane(g->one_h0[l], n, scratch.lane_params.data(), l);
    g->h0 = scratch.lane_params.data();
    return true;
}

// The backward of problems b0 .. b0 + kLaneWidth - 1: their LQRs solved in lanes, then each problem's gradients
// written in order b0, b0 + 1, ... from its own trajectories, by the one-problem code. Returns false having written
// no gradient.
template <class R>
bool backward_explicit_group(const ttc_explicit_problem& p, const Dims& d, idx b0, const ttc_upstream& up,
                             const ttc_explicit_grads& grads, const SolverChoice& choice, ChunkScratch<R>& scratch) {
    ExplicitLaneGroup<R> g;
    return gather_explicit_group(p, d, b0, choice, scratch, &g) &&
           backward_group(g, d, b0, up, choice, scratch, [&](const TrajectoryPair<LanesOf<R>>&, const auto& scatter) {
               const TrajectoryPair<R>* x = scatter();
               for (idx l = 0; l < kLaneWidth<R>; ++l)
                   write_explicit_grads(SoloTeam{}, grads, x[l], (b0 + l) / d.H, (b0 + l) % d.H);
           });
}

template <class R>
bool forward_explicit_group(const ttc_explicit_problem& p, const Dims& d, idx b0, const ttc_solution& s,
                            const SolverChoice& choice, ChunkScratch<R>& scratch) {
    ExplicitLaneGroup<R> g;
    return gather_explicit_group(p, d, b0, choice, scratch, &g) && forward_group(g, d, b0, s, choice, scratch);
}

TTC_ISA_END
}  // namespace ttc::cpu
