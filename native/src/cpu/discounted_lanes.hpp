// The discounted form's group of kLaneWidth problems for lane_solve.hpp: each problem's time-invariant parameters
// gathered as for one problem (E3), then interleaved lane by lane into one DiscountedSteps over Lanes.
#pragma once

#include "lane_solve.hpp"
#include "saved_states.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

// Whether the symplectic solver takes this problem, so that it has sweep states to save (saved_states.hpp).
template <class R>
bool sweeps_symplectic(const DiscountedSteps<R>& steps, const Dims& d, const SolverChoice& choice) {
    return !solves_by_riccati(lqr_with_primal(steps, d, 1, LinearSeries<R>{}, static_cast<const R*>(nullptr)), choice);
}

// Whether problem b's backward may start from its saved sweep states: they were written for these inputs, and its
// adjoint's affine column vanishes at every segment top.
template <class R>
bool restores_saved(const SavedStates<R>& saved, const DiscountedSteps<R>& steps, const Dims& d, idx b,
                    const ttc_upstream& up, const SolverChoice& choice, std::vector<R>& row) {
    if (!saved.active() || !sweeps_symplectic(steps, d, choice) ||
        !saved.holds(b, discounted_fingerprint(steps, saved.every())))
        return false;
    row.resize(d.n > d.m ? d.n : d.m);
    return adjoint_vanishes_at_tops(adjoint_series<R>(d, b, up), d.T, d.n, d.m, saved.every(), row.data());
}

template <class R>
using DiscountedLaneGroup = LaneGroup<R, DiscountedSteps<R>, DiscountedSteps<LanesOf<R>>>;

// Gathers the group starting at b0 into *g, pointing into the chunk's scratch; false when one of its problems does not
// fit in lanes (fits_in_lanes).
template <class R>
bool gather_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const SolverChoice& choice,
                             ChunkScratch<R>& scratch, DiscountedLaneGroup<R>* g) {
    using L = LanesOf<R>;
    constexpr idx W = kLaneWidth<R>;
    const idx n = d.n, m = d.m, E = discounted_param_elements(n, m);
    scratch.params.resize(W * E);
    for (idx l = 0; l < W; ++l) {
        g->one[l] = gather_discounted(SoloTeam{}, p, d, b0 + l, scratch.params.data() + l * E, &g->one_h0[l]);
        g->one_primal[l] = LinearSeries<R>{};
        if (!fits_in_lanes(lqr_with_primal(g->one[l], d, 1, g->one_primal[l], g->one_h0[l]), choice)) return false;
    }
    scratch.lane_params.resize(E);
    for (idx l = 0; l < W; ++l) put_lane(scratch.params.data() + l * E, E, scratch.lane_params.data(), l);
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
    g->primal = LinearSeries<L>{};
    g->h0 = at(g->one_h0[0]);
    return true;
}

// Every problem of the group restores its saved sweep states (restores_saved), interleaved into the chunk's scratch,
// or none does.
template <class R>
SavedTops<LanesOf<R>> restored_group_tops(const SavedStates<R>& saved, const DiscountedLaneGroup<R>& g, const Dims& d,
                                          idx b0, const ttc_upstream& up, const SolverChoice& choice,
                                          ChunkScratch<R>& scratch) {
    constexpr idx W = kLaneWidth<R>;
    for (idx l = 0; l < W; ++l)
        if (!restores_saved(saved, g.one[l], d, b0 + l, up, choice, scratch.step_rows)) return {};
    scratch.lane_saved.resize(saved.state_elements());
    for (idx l = 0; l < W; ++l) put_lane(saved.states(b0 + l), saved.state_elements(), scratch.lane_saved.data(), l);
    return SavedTops<LanesOf<R>>{scratch.lane_saved.data(), saved.every(), true};
}

// The backward of problems b0 .. b0 + kLaneWidth - 1: their LQRs solved in lanes, and their gradient sums over steps
// too, lane by lane as the one-problem code sums them; then each problem's sums written in order b0, b0 + 1, ....
// Starts from the group's saved sweep states where every problem's are usable. Returns false having written no
// gradient.
template <class R>
bool backward_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_upstream& up,
                               const ttc_discounted_grads& grads, const SolverChoice& choice,
                               const SavedStates<R>& saved, ChunkScratch<R>& scratch) {
    DiscountedLaneGroup<R> g;
    if (!gather_discounted_group(p, d, b0, choice, scratch, &g)) return false;
    const SavedTops<LanesOf<R>> tops = restored_group_tops(saved, g, d, b0, up, choice, scratch);
    return backward_group(g, d, b0, up, choice, scratch, [&](const TrajectoryPair<LanesOf<R>>& x, const auto&) {
        const idx n = d.n, E = discounted_grad_elements(n, d.m);
        scratch.lane_sums.resize(E);
        accumulate_discounted_grads(SoloTeam{}, g.steps, x, scratch.lane_sums.data());
        scratch.accumulators.resize(E + n);
        R* sums = scratch.accumulators.data();
        R* dlambda0 = sums + E;
        for (idx l = 0; l < kLaneWidth<R>; ++l) {
            const idx b = b0 + l;
            take_lane(scratch.lane_sums.data(), E, sums, l);
            take_lane(x.dlambda, n, dlambda0, l);
            write_discounted_sums(SoloTeam{}, grads, n, d.m, sums, dlambda0, b / d.H, b % d.H);
        }
    }, tops);
}

// The forward of a group; with `saved` active, each problem's sweep states go to its region, sealed with its
// fingerprint, once the group is solved (a group in lanes sweeps symplectic unless the call chose Riccati).
template <class R>
bool forward_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_solution& s,
                              const SolverChoice& choice, const SavedStates<R>& saved, ChunkScratch<R>& scratch) {
    constexpr idx W = kLaneWidth<R>;
    DiscountedLaneGroup<R> g;
    if (!gather_discounted_group(p, d, b0, choice, scratch, &g)) return false;
    const bool saves = saved.active() && !choice.riccati;
    if (saves) scratch.lane_saved.resize(saved.state_elements());
    const SavedTops<LanesOf<R>> tops{saves ? scratch.lane_saved.data() : nullptr, saved.every(), false};
    if (!forward_group(g, d, b0, s, choice, scratch, tops)) return false;
    for (idx l = 0; saved.active() && l < W; ++l) {
        saved.forget(b0 + l);
        if (!saves) continue;
        take_lane(scratch.lane_saved.data(), saved.state_elements(), saved.states(b0 + l), l);
        saved.seal(b0 + l, discounted_fingerprint(g.one[l], saved.every()));
    }
    return true;
}

TTC_ISA_END
}  // namespace ttc::cpu
