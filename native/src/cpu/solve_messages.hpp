// The words for a solver's numeric failure (core/solve_fault.hpp), naming the equation that failed.
#pragma once

#include <string>

#include "../core/solve_fault.hpp"
#include "failure.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

inline Failure to_failure(const core::SolveFault& f) {
    if (!f.failed()) return {};
    const std::string t = std::to_string(f.step);
    switch (f.stage) {
        case core::SolveStage::SweepLostRank:
            return fail(f.status, "the symplectic sweep lost rank at step t = " + t);
        case core::SolveStage::DecodeSingular:
            return fail(f.status, "Z_1 = Y1 + Y2 G_1 is singular (E6): the problem is not convex");
        case core::SolveStage::FinalSingular:
            return fail(f.status, "Y1 is singular after the sweep (E7): P_0 does not exist");
        case core::SolveStage::RolloutSingular:
            return fail(f.status, "Z_t = Y1 + Y2 G_t is singular at step t = " + t + " (E9): the problem is not convex");
        case core::SolveStage::RiccatiNotPositive:
            return fail(f.status, "the Cholesky of S_t = R_t + B_t' P_t B_t failed at step t = " + t +
                                      " (E4): the problem is not convex");
        case core::SolveStage::None:
            break;
    }
    return fail(f.status, "the solve failed at step t = " + t);
}

TTC_ISA_END
}  // namespace ttc::cpu
