// The explicit form's forward and backward (DESIGN.md §2, form 1), from the call's checks to the batch loop. Compiled
// once per instruction set by form_solvers.cpp; the ABI entry points of explicit_form.cpp call it through
// isa_choice.hpp.
#pragma once

#include "explicit_lanes.hpp"
#include "form_checks.hpp"
#include "problem_solve.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

template <class R>
Failure explicit_forward(const ttc_explicit_problem* problem, const ttc_options* options,
                         const ttc_solution* solution) {
    SolverChoice choice;
    Dims d;
    Failure f = check_forward_inputs<R>(problem, options, solution, &choice, &d);
    if (f.failed()) return f;
    const ttc_explicit_problem& p = *problem;
    const ttc_solution& s = *solution;

    auto solve_one = [&](idx b, ChunkScratch<R>& scratch) {
        const ExplicitSteps<R> steps = explicit_steps<R>(p, d, b);
        scratch.params.resize(d.n);
        gather_vector(SoloTeam{}, slice_of<const R>(p.h0, b / d.H, b % d.H), d.n, scratch.params.data());
        return solve_forward(steps, d, b, explicit_linear<R>(p, d, b), scratch.params.data(), s, choice, scratch);
    };
    auto solve_group = [&](idx b0, ChunkScratch<R>& scratch) {
        return forward_explicit_group(p, d, b0, s, choice, scratch);
    };
    return run_in_groups<R>(d, choice, false, solve_group, solve_one);
}

template <class R>
Failure explicit_backward(const ttc_explicit_problem* problem, const ttc_options* options,
                          const ttc_upstream* upstream, const ttc_explicit_grads* grads) {
    SolverChoice choice;
    Dims d;
    Failure f = check_backward_inputs<R>(problem, options, upstream, grads, &choice, &d);
    if (f.failed()) return f;
    const ttc_explicit_problem& p = *problem;
    const ttc_upstream& up = *upstream;
    const ttc_explicit_grads& g = *grads;

    auto solve_one = [&](idx b, ChunkScratch<R>& scratch) {
        const idx tok = b / d.H, head = b % d.H;
        const ExplicitSteps<R> steps = explicit_steps<R>(p, d, b);
        scratch.params.resize(d.n);
        gather_vector(SoloTeam{}, slice_of<const R>(p.h0, tok, head), d.n, scratch.params.data());
        TrajectoryPair<R> x;
        Failure r = solve_primal_and_adjoint(steps, d, b, explicit_linear<R>(p, d, b), scratch.params.data(), up,
                                             choice, scratch, &x);
        if (r.failed()) return r;
        write_explicit_grads(SoloTeam{}, g, x, tok, head);
        return Failure{};
    };
    const bool by_token = grads_sum_over_heads(g, d.H);
    auto solve_group = [&](idx b0, ChunkScratch<R>& scratch) {
        return backward_explicit_group(p, d, b0, up, g, choice, scratch);
    };
    return run_in_groups<R>(d, choice, by_token, solve_group, solve_one);
}

TTC_ISA_END
}  // namespace ttc::cpu
