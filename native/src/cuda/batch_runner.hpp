// One CUDA call after its descriptors passed: status words, value checks, the workspace sized by launch_plan.hpp,
// the chunked launches, and the result into the caller's status word. Everything is enqueued on the stream.
#pragma once

#include <cuda_runtime.h>

#include <cstdlib>
#include <string>

#include "device_scratch.hpp"
#include "launchers.hpp"
#include "request.hpp"

namespace ttc::cuda {

inline cpu::Failure cuda_failure(int error, const char* what) {
    const auto e = static_cast<cudaError_t>(error);
    const ttc_status status = e == cudaErrorMemoryAllocation ? TTC_STATUS_OUT_OF_MEMORY : TTC_STATUS_CUDA_ERROR;
    return cpu::fail(status, std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")");
}

// Units per launch: as many as fit in half of the device memory free now, at least one.
inline idx units_per_chunk(idx units, idx unit_bytes) {
    std::size_t free_bytes = 0, total_bytes = 0;
    if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) free_bytes = 0;
    const idx fit = unit_bytes > 0 ? static_cast<idx>(free_bytes / 2) / unit_bytes : units;
    return fit < 1 ? 1 : (fit < units ? fit : units);
}

// TTC_CUDA_TEAM_SIZE, when set, replaces team_size_for(n): threads per unit, 1 or a multiple of 32 up to 256. It is
// there to compare tilings on a GPU (native/bench/gpu/bench_cuda.py --team-sizes); results do not depend on it.
inline cpu::Failure apply_team_size_override(LaunchPlan* plan) {
    const char* text = std::getenv("TTC_CUDA_TEAM_SIZE");
    if (text == nullptr || *text == '\0') return {};
    if (!parse_team_size(text, &plan->team_size))
        return cpu::fail(TTC_STATUS_INVALID_ARGUMENT,
                         std::string("TTC_CUDA_TEAM_SIZE must be 1 or a multiple of 32 up to 256, not '") + text + "'");
    return {};
}

// launch_chunk(const LaunchPlan&, R* workspace, StatusWords) -> cudaError_t as int.
template <class R, class Problem, class LaunchChunk>
cpu::Failure run_batch(const BatchRequest& q, const Problem& p, cudaStream_t stream, uint64_t* user_word,
                       const LaunchChunk& launch_chunk) {
    DeviceScratch word_storage(stream);
    int e = word_storage.allocate(2 * sizeof(unsigned long long));
    if (e != cudaSuccess) return cuda_failure(e, "allocating the status words");
    StatusWords words{word_storage.as<unsigned long long>(), word_storage.as<unsigned long long>() + 1};
    e = cudaMemsetAsync(words.values, 0, 2 * sizeof(unsigned long long), stream);
    if (e != cudaSuccess) return cuda_failure(e, "clearing the status words");

    const idx units = units_of(q);
    DeviceScratch workspace(stream);
    if (units > 0) {
        e = launch_value_checks<R>(p, q.upstream, q.d, words, stream);
        if (e != cudaSuccess) return cuda_failure(e, "launching the value checks");
        LaunchPlan plan = plan_for<R>(q);
        cpu::Failure f = apply_team_size_override(&plan);
        if (f.failed()) return f;
        idx unit_bytes = 0;
        f = unit_bytes_of<R>(plan, units, &unit_bytes);
        if (f.failed()) return f;
        const idx chunk = units_per_chunk(units, unit_bytes);
        e = workspace.allocate(static_cast<std::size_t>(chunk) * static_cast<std::size_t>(unit_bytes));
        if (e != cudaSuccess) return cuda_failure(e, "allocating the solver workspace");
        e = for_each_chunk(plan, units, chunk,
                           [&](const LaunchPlan& part) { return launch_chunk(part, workspace.as<R>(), words); });
        if (e != cudaSuccess) return cuda_failure(e, "launching the solver kernel");
    }
    if (user_word != nullptr) {
        e = launch_publish_status(words, reinterpret_cast<unsigned long long*>(user_word), stream);
        if (e != cudaSuccess) return cuda_failure(e, "publishing the status word");
    }
    return {};
}

}  // namespace ttc::cuda
