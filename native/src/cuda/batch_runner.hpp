// One CUDA call after its descriptors passed: status words, value checks, the workspace sized by launch_plan.hpp,
// the chunked launches, and the result into the caller's status word. Everything is enqueued on the stream.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "../cpu/failure.hpp"
#include "device_scratch.hpp"
#include "launchers.hpp"

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

struct BatchRequest {
    Form form = Form::Explicit;
    Work work = Work::Forward;
    Dims d;
    SolverChoice choice;
    bool trajectory = false;
    bool by_token = false;
    const ttc_upstream* upstream = nullptr;  // checked for finite values when given
};

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

    const idx units = q.by_token ? q.d.N : q.d.problems();
    DeviceScratch workspace(stream);
    if (units > 0) {
        e = launch_value_checks<R>(p, q.upstream, q.d, words, stream);
        if (e != cudaSuccess) return cuda_failure(e, "launching the value checks");
        LaunchPlan plan;
        plan.d = q.d;
        plan.choice = q.choice;
        plan.layout = unit_layout<R>(q.form, q.work, q.d, q.choice, q.trajectory);
        plan.by_token = q.by_token;
        if (static_cast<double>(plan.layout.stride()) * static_cast<double>(sizeof(R)) * static_cast<double>(units) > 9e18)
            return cpu::fail(TTC_STATUS_SIZE_OVERFLOW, "the solver workspace of this batch overflows int64");
        const idx unit_bytes = plan.layout.stride() * static_cast<idx>(sizeof(R));
        const idx chunk = units_per_chunk(units, unit_bytes);
        e = workspace.allocate(static_cast<std::size_t>(chunk) * static_cast<std::size_t>(unit_bytes));
        if (e != cudaSuccess) return cuda_failure(e, "allocating the solver workspace");
        for (idx first = 0; first < units; first += chunk) {
            plan.first_unit = first;
            plan.unit_count = units - first < chunk ? units - first : chunk;
            e = launch_chunk(plan, workspace.as<R>(), words);
            if (e != cudaSuccess) return cuda_failure(e, "launching the solver kernel");
        }
    }
    if (user_word != nullptr) {
        e = launch_publish_status(words, reinterpret_cast<unsigned long long*>(user_word), stream);
        if (e != cudaSuccess) return cuda_failure(e, "publishing the status word");
    }
    return {};
}

}  // namespace ttc::cuda
