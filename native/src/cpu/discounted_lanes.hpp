// The discounted form's group of kLaneWidth problems for lane_solve.hpp: each problem's time-invariant parameters
// gathered as for one problem (E3), then interleaved lane by lane into one DiscountedSteps over Lanes.
#pragma once

#include "lane_solve.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

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

// The backward of problems b0 .. b0 + kLaneWidth - 1: their LQRs solved in lanes, and their gradient sums over steps
// too, lane by lane as the one-problem code sums them; then each problem's sums written in order b0, b0 + 1, ....
// Returns false having written no gradient.
template <class R>
bool backward_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_upstream& up,
                               const ttc_discounted_grads& grads, const SolverChoice& choice,
                               ChunkScratch<R>& scratch) {
    DiscountedLaneGroup<R> g;
    return gather_discounted_group(p, d, b0, choice, scratch, &g) &&
           backward_group(g, d, b0, up, choice, scratch, [&](const TrajectoryPair<LanesOf<R>>& x, const auto&) {
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
           });
}

template <class R>
bool forward_discounted_group(const ttc_discounted_problem& p, const Dims& d, idx b0, const ttc_solution& s,
                              const SolverChoice& choice, ChunkScratch<R>& scratch) {
    DiscountedLaneGroup<R> g;
    return gather_discounted_group(p, d, b0, choice, scratch, &g) && forward_group(g, d, b0, s, choice, scratch);
}

TTC_ISA_END
}  // namespace ttc::cpu
