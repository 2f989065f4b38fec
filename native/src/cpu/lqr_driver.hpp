// Per-problem dispatch (solver choice, small-|a| fallback, workspace) and the batch loop with deterministic failure
// reporting: the failure with the lowest batch index wins, whatever the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <vector>

#include "../core/lqr_dispatch.hpp"
#include "lanes.hpp"
#include "solve_messages.hpp"
#include "thread_pool.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

using namespace ttc::core;

template <class R, class Steps>
Failure solve_lqr(const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out, const SolverChoice& choice,
                  std::vector<R>& storage) {
    const LqrShape shape{p.n, p.m, p.T, p.k, out.wants_trajectory(), choice.full_storage};
    const idx need = core::lqr_workspace_elements<R>(core::solves_by_riccati(p, choice), shape);
    if (storage.size() < static_cast<std::size_t>(need)) storage.resize(need);
    return to_failure(core::solve_lqr_in(SoloTeam{}, p, out, choice, storage.data(), need));
}

// Keeps the failure with the lowest batch index.
class FailureSlot {
public:
    void record(idx unit, Failure f) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (unit < unit_) {
            unit_ = unit;
            failure_ = std::move(f);
            lowest_.store(unit);
        }
    }
    // Units above a recorded failure need not run.
    bool skip(idx unit) const { return unit > lowest_.load(); }
    Failure take() { return std::move(failure_); }

private:
    std::mutex mutex_;
    idx unit_ = INT64_MAX;
    std::atomic<idx> lowest_{INT64_MAX};
    Failure failure_;
};

// Scratch reused by the problems of one chunk.
template <class R>
struct ChunkScratch {
    std::vector<R> solver;      // the solver's workspace
    std::vector<R> params;      // the problem's gathered inputs
    std::vector<R> trajectory;  // primal and adjoint trajectories (backward)
    std::vector<R> accumulators;  // gradient sums over steps (discounted backward)
    std::vector<R> step_rows;   // one step of each problem of a group, before it is interleaved (explicit_lanes.hpp)
    // A group solved in lanes (lane_solve.hpp): its parameters, primal and adjoint linear costs, the solver's
    // workspace, its outputs, and its gradient sums over steps (discounted backward).
    std::vector<LanesOf<R>> lane_params, lane_primal, lane_adjoint, lane_solver, lane_outputs, lane_sums;
    // The group's saved sweep states (saved_states.hpp), interleaved.
    std::vector<LanesOf<R>> lane_saved;
};

// Runs body(unit, scratch) -> Failure for every unit on the pool; a thrown exception becomes a Failure.
template <class R, class Body>
Failure run_units(idx units, const Body& body) {
    FailureSlot slot;
    parallel_for(units, [&](idx begin, idx end) {
        ChunkScratch<R> scratch;
        for (idx u = begin; u < end; ++u) {
            if (slot.skip(u)) return;
            Failure f;
            try {
                f = body(u, scratch);
            } catch (const std::bad_alloc&) {
                f = fail(TTC_STATUS_OUT_OF_MEMORY, "out of memory while solving");
            } catch (const std::exception& e) {
                f = fail(TTC_STATUS_INTERNAL, std::string("internal error: ") + e.what());
            } catch (...) {
                f = fail(TTC_STATUS_INTERNAL, "internal error: unknown exception");
            }
            if (f.failed()) {
                slot.record(u, std::move(f));
                return;
            }
        }
    });
    return slot.take();
}

TTC_ISA_END
}  // namespace ttc::cpu
