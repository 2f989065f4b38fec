// Per-problem solver dispatch shared by the backends: the solver choice, the small-|a| fallback to Riccati (§3.2),
// and the workspace layout measured by the same carve that the solve uses.
#pragma once

#include "riccati_solver.hpp"
#include "symplectic_solver.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

template <class R>
struct SmallATau;
template <>
struct SmallATau<double> {
    static constexpr double value = TTC_SMALL_A_TAU_F64;
};
template <>
struct SmallATau<float> {
    static constexpr float value = static_cast<float>(TTC_SMALL_A_TAU_F32);
};

struct SolverChoice {
    bool riccati = false;
    bool full_storage = false;
};

// The symplectic sweep divides by A_t: below tau the problem is solved by Riccati instead (§3.2).
template <class R, class Steps>
TTC_HD bool solves_by_riccati(const LqrProblem<R, Steps>& p, const SolverChoice& choice) {
    return choice.riccati || p.steps->min_abs_a() < SmallATau<R>::value;
}

// Elements of scratch one problem needs with the given solver.
template <class R>
TTC_HD idx lqr_workspace_elements(bool riccati, const LqrShape& shape) {
    Arena<R> arena;
    if (riccati) {
        RiccatiWorkspace<R>::carve(arena, shape);
    } else {
        SymplecticWorkspace<R>::carve(arena, shape);
    }
    return arena.used();
}

// Enough for either solver: what a problem needs before its |a| is known.
template <class R>
TTC_HD idx lqr_workspace_elements_any(const SolverChoice& choice, const LqrShape& shape) {
    const idx riccati = lqr_workspace_elements<R>(true, shape);
    return choice.riccati ? riccati : max_value(riccati, lqr_workspace_elements<R>(false, shape));
}

// Solves one problem in `workspace`, which holds lqr_workspace_elements(solves_by_riccati(p, choice), shape).
template <class Team, class R, class Steps>
TTC_HD SolveFault solve_lqr_in(const Team& team, const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out,
                               const SolverChoice& choice, R* workspace, idx capacity) {
    const LqrShape shape{p.n, p.m, p.T, p.k, out.wants_trajectory(), choice.full_storage};
    Arena<R> arena(workspace, capacity);
    if (solves_by_riccati(p, choice)) {
        auto w = RiccatiWorkspace<R>::carve(arena, shape);
        return solve_riccati(team, p, out, w);
    }
    auto w = SymplecticWorkspace<R>::carve(arena, shape);
    return SymplecticSolver<Team, R, Steps>(team, p, out, w, choice.full_storage).run();
}

TTC_ISA_END
}  // namespace ttc::core
