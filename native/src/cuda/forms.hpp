// What differs between the two input forms in the work of one unit (unit_work.hpp): the step source of problem b
// (E3 values generated in the thread for the discounted form), its primal linear costs, and how E8 gradients reach
// the outputs.
#pragma once

#include "../core/gradients.hpp"
#include "../core/problem_setup.hpp"

namespace ttc::cuda {

using namespace ttc::core;

struct ExplicitForm {
    using Problem = ttc_explicit_problem;
    using Grads = ttc_explicit_grads;
    template <class R>
    using Steps = ExplicitSteps<R>;

    template <class R, class Team>
    TTC_HD static Steps<R> steps(const Team& team, const Problem& p, const Dims& d, idx b, R* params, const R** h0) {
        gather_vector(team, slice_of<const R>(p.h0, b / d.H, b % d.H), d.n, params);
        *h0 = params;
        return explicit_steps<R>(p, d, b);
    }
    template <class R>
    TTC_HD static LinearSeries<R> primal(const Problem& p, const Dims& d, idx b) {
        return explicit_linear<R>(p, d, b);
    }
    template <class R, class Team>
    TTC_HD static void write_grads(const Team& team, const Grads& g, const Steps<R>&, const TrajectoryPair<R>& x,
                                   idx tok, idx head, R*) {
        write_explicit_grads(team, g, x, tok, head);
    }
};

struct DiscountedForm {
    using Problem = ttc_discounted_problem;
    using Grads = ttc_discounted_grads;
    template <class R>
    using Steps = DiscountedSteps<R>;

    template <class R, class Team>
    TTC_HD static Steps<R> steps(const Team& team, const Problem& p, const Dims& d, idx b, R* params, const R** h0) {
        return gather_discounted(team, p, d, b, params, h0);
    }
    template <class R>
    TTC_HD static LinearSeries<R> primal(const Problem&, const Dims&, idx) {
        return LinearSeries<R>{};
    }
    template <class R, class Team>
    TTC_HD static void write_grads(const Team& team, const Grads& g, const Steps<R>& s, const TrajectoryPair<R>& x,
                                   idx tok, idx head, R* sums) {
        write_discounted_grads(team, g, s, x, tok, head, sums);
    }
};

template <class Problem>
struct FormOf;
template <>
struct FormOf<ttc_explicit_problem> {
    using type = ExplicitForm;
};
template <>
struct FormOf<ttc_discounted_problem> {
    using type = DiscountedForm;
};

}  // namespace ttc::cuda
