// The discounted form's forward and backward (DESIGN.md §2, E3), from the call's checks to the batch loop: per-step
// values generated inside the solver from time-invariant parameters; gradients chained through E3. Compiled once per
// instruction set by form_solvers.cpp; the ABI entry points of discounted_form.cpp call it through isa_choice.hpp.
#pragma once

#include "discounted_lanes.hpp"
#include "form_checks.hpp"
#include "problem_solve.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

template <class R>
DiscountedSteps<R> gathered_discounted(const ttc_discounted_problem& p, const Dims& d, idx b, std::vector<R>& buffer,
                                       const R** h0) {
    buffer.resize(discounted_param_elements(d.n, d.m));
    return gather_discounted(SoloTeam{}, p, d, b, buffer.data(), h0);
}

template <class R>
Failure discounted_forward(const ttc_discounted_problem* problem, const ttc_options* options,
                           const ttc_solution* solution) {
    SolverChoice choice;
    Dims d;
    Failure f = check_forward_inputs<R>(problem, options, solution, &choice, &d);
    SavedStates<R> saved;
    if (!f.failed()) f = open_saved_states(options, d, choice, &saved);
    if (f.failed()) return f;
    const ttc_discounted_problem& p = *problem;
    const ttc_solution& s = *solution;
    auto solve_one = [&](idx b, ChunkScratch<R>& scratch) {
        const R* h0 = nullptr;
        const DiscountedSteps<R> steps = gathered_discounted(p, d, b, scratch.params, &h0);
        const bool saves = saved.active() && sweeps_symplectic(steps, d, choice);
        if (saved.active()) saved.forget(b);
        Failure r = solve_forward(steps, d, b, LinearSeries<R>{}, h0, s, choice, scratch,
                                  saves ? saved.tops(b, false) : SavedTops<R>{});
        if (!r.failed() && saves) saved.seal(b, discounted_fingerprint(steps, saved.every()));
        return r;
    };
    auto solve_group = [&](idx b0, ChunkScratch<R>& scratch) {
        return forward_discounted_group(p, d, b0, s, choice, saved, scratch);
    };
    return run_in_groups<R>(d, choice, false, solve_group, solve_one);
}

template <class R>
Failure discounted_backward(const ttc_discounted_problem* problem, const ttc_options* options,
                            const ttc_upstream* upstream, const ttc_discounted_grads* grads) {
    SolverChoice choice;
    Dims d;
    Failure f = check_backward_inputs<R>(problem, options, upstream, grads, &choice, &d);
    SavedStates<R> saved;
    if (!f.failed()) f = open_saved_states(options, d, choice, &saved);
    if (f.failed()) return f;
    const ttc_discounted_problem& p = *problem;
    const ttc_upstream& up = *upstream;
    const ttc_discounted_grads& g = *grads;
    auto solve_one = [&](idx b, ChunkScratch<R>& scratch) {
        const R* h0 = nullptr;
        const DiscountedSteps<R> steps = gathered_discounted(p, d, b, scratch.params, &h0);
        const bool restores = restores_saved(saved, steps, d, b, up, choice, scratch.step_rows);
        TrajectoryPair<R> x;
        Failure r = solve_primal_and_adjoint(steps, d, b, LinearSeries<R>{}, h0, up, choice, scratch, &x,
                                             restores ? saved.tops(b, true) : SavedTops<R>{});
        if (r.failed()) return r;
        scratch.accumulators.resize(discounted_grad_elements(d.n, d.m));
        write_discounted_grads(SoloTeam{}, g, steps, x, b / d.H, b % d.H, scratch.accumulators.data());
        return Failure{};
    };
    const bool by_token = grads_sum_over_heads(g, d.H);
    auto solve_group = [&](idx b0, ChunkScratch<R>& scratch) {
        return backward_discounted_group(p, d, b0, up, g, choice, saved, scratch);
    };
    return run_in_groups<R>(d, choice, by_token, solve_group, solve_one);
}

TTC_ISA_END
}  // namespace ttc::cpu
