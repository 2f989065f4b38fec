// Per-problem dispatch (solver choice, small-|a| fallback, workspace) and the batch loop with deterministic failure
// reporting: the failure with the lowest batch index wins, whatever the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <vector>

#include "riccati_solver.hpp"
#include "symplectic_solver.hpp"
#include "thread_pool.hpp"

namespace ttc::cpu {

template <class R>
constexpr R small_a_tau();
template <>
constexpr double small_a_tau<double>() { return TTC_SMALL_A_TAU_F64; }
template <>
constexpr float small_a_tau<float>() { return static_cast<float>(TTC_SMALL_A_TAU_F32); }

struct SolverChoice {
    bool riccati = false;
    bool full_storage = false;
};

// Elements of scratch one problem needs with the chosen solver. (A symplectic problem that falls back to Riccati for
// small |a| needs the Riccati figure.)
template <class R>
idx lqr_workspace_elements(const SolverChoice& choice, const LqrShape& shape) {
    Arena<R> arena;
    if (choice.riccati) {
        RiccatiWorkspace<R>::carve(arena, shape);
    } else {
        SymplecticWorkspace<R>::carve(arena, shape);
    }
    return arena.used();
}

template <class R, class Steps>
Failure solve_lqr(const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out, const SolverChoice& choice,
                  std::vector<R>& storage) {
    const bool riccati = choice.riccati || p.steps->min_abs_a() < small_a_tau<R>();
    const LqrShape shape{p.n, p.m, p.T, p.k, out.wants_trajectory(), choice.full_storage};
    Arena<R> measure;
    if (riccati) {
        RiccatiWorkspace<R>::carve(measure, shape);
    } else {
        SymplecticWorkspace<R>::carve(measure, shape);
    }
    if (storage.size() < static_cast<std::size_t>(measure.used())) storage.resize(measure.used());
    Arena<R> arena(storage);
    if (riccati) {
        auto w = RiccatiWorkspace<R>::carve(arena, shape);
        return solve_riccati(p, out, w);
    }
    auto w = SymplecticWorkspace<R>::carve(arena, shape);
    return SymplecticSolver<R, Steps>(p, out, w, choice.full_storage).run();
}

template <class R>
bool all_finite(const R* x, idx count) {
    if (x == nullptr) return true;
    for (idx i = 0; i < count; ++i)
        if (!std::isfinite(x[i])) return false;
    return true;
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

}  // namespace ttc::cpu
