// A numeric failure of one problem's solve, as plain data so that it travels on host and device alike. The CPU
// backend turns it into a message; the CUDA backend into its device status word.
#pragma once

#include "hd.hpp"
#include "ttc/ttc.h"

namespace ttc::core {
TTC_ISA_BEGIN

enum class SolveStage : int {
    None = 0,
    SweepLostRank,      // re-orthonormalisation found a collapsed row (§3.2)
    DecodeSingular,     // Z_1 singular in E6
    FinalSingular,      // Y1 singular in E7
    RolloutSingular,    // Z_t singular in E9
    RiccatiNotPositive  // Cholesky of S_t failed in E4
};

struct SolveFault {
    ttc_status status = TTC_STATUS_OK;
    SolveStage stage = SolveStage::None;
    idx step = 0;  // the step t where it happened

    TTC_HD bool failed() const { return status != TTC_STATUS_OK; }
};

TTC_HD SolveFault solve_fault(ttc_status status, SolveStage stage, idx step) {
    SolveFault f;
    f.status = status;
    f.stage = stage;
    f.step = step;
    return f;
}

TTC_ISA_END
}  // namespace ttc::core
