// The host half of every CUDA call, before anything is enqueued: the CPU backend's call checks (argument and shape
// errors return at once), then the BatchRequest that the launches carry out. Shared by the entry points
// (cuda_api.cpp) and the host emulation of ttc_cuda_emulation_check.
#pragma once

#include "../cpu/form_checks.hpp"
#include "launch_plan.hpp"

namespace ttc::cuda {

inline bool wants_trajectory(const ttc_solution& s) { return s.u.ndim != 0 || s.h.ndim != 0 || s.lambda.ndim != 0; }

template <class R, class Problem>
cpu::Failure prepare_forward(const Problem* problem, const ttc_options* options, const ttc_solution* solution,
                             BatchRequest* q) {
    cpu::Failure f = cpu::check_forward_call(problem, options, solution, sizeof(R), &q->choice, &q->d);
    if (f.failed()) return f;
    q->form = form_of(*problem);
    q->work = Work::Forward;
    q->trajectory = wants_trajectory(*solution);
    return {};
}

template <class R, class Problem, class Grads>
cpu::Failure prepare_backward(const Problem* problem, const ttc_options* options, const ttc_upstream* upstream,
                              const Grads* grads, BatchRequest* q) {
    cpu::Failure f = cpu::check_backward_call(problem, options, upstream, grads, sizeof(R), &q->choice, &q->d);
    if (f.failed()) return f;
    q->form = form_of(*problem);
    q->work = Work::Backward;
    q->by_token = cpu::grads_sum_over_heads(*grads, q->d.H);
    q->upstream = upstream;
    return {};
}

// The workspace bytes of one unit of plan, refused when the whole batch's would overflow int64.
template <class R>
cpu::Failure unit_bytes_of(const LaunchPlan& plan, idx units, idx* unit_bytes) {
    const double total = static_cast<double>(plan.layout.stride()) * static_cast<double>(sizeof(R)) *
                         static_cast<double>(units);
    if (total > 9e18) return cpu::fail(TTC_STATUS_SIZE_OVERFLOW, "the solver workspace of this batch overflows int64");
    *unit_bytes = plan.layout.stride() * static_cast<idx>(sizeof(R));
    return {};
}

}  // namespace ttc::cuda
