// ABI entry points of libttc_cuda.so (ttc_cuda.h): the descriptor checks of the CPU backend run on the host, then
// batch_runner.hpp enqueues the kernels on the caller's stream.
#include <cuda_runtime.h>

#include <string>

#include "batch_runner.hpp"
#include "ttc/ttc_cuda.h"

namespace ttc::cuda {
namespace {

using cpu::Failure;
using cpu::fail;

template <class R, class Problem>
Failure forward(const Problem* problem, const ttc_options* options, const ttc_solution* solution,
                ttc_cuda_stream stream, uint64_t* device_status) {
    BatchRequest q;
    Failure f = prepare_forward<R>(problem, options, solution, &q);
    if (f.failed()) return f;
    const ttc_solution s = *solution;
    return run_batch<R>(q, *problem, stream, device_status,
                        [&](const LaunchPlan& plan, R* workspace, StatusWords words) {
                            return launch_forward<R>(*problem, s, plan, workspace, words, stream);
                        });
}

template <class R, class Problem, class Grads>
Failure backward(const Problem* problem, const ttc_options* options, const ttc_upstream* upstream,
                 const Grads* grads, ttc_cuda_stream stream, uint64_t* device_status) {
    BatchRequest q;
    Failure f = prepare_backward<R>(problem, options, upstream, grads, &q);
    if (f.failed()) return f;
    return run_batch<R>(q, *problem, stream, device_status,
                        [&](const LaunchPlan& plan, R* workspace, StatusWords words) {
                            return launch_backward<R>(*problem, *upstream, *grads, plan, workspace, words, stream);
                        });
}

// Why cudaGetDeviceCount failed, in words a user can act on. The runtime says "driver version is insufficient" also
// when there is no driver at all.
std::string unavailable_reason(cudaError_t e) {
    std::string reason = std::string("no usable CUDA device: ") + cudaGetErrorName(e);
    reason += std::string(" (") + cudaGetErrorString(e) + ")";
    if (e == cudaErrorInsufficientDriver) {
        const int major = CUDART_VERSION / 1000, minor = CUDART_VERSION % 1000 / 10;
        reason += ": no NVIDIA driver is loaded, or it is older than the CUDA " + std::to_string(major) + "." +
                  std::to_string(minor) + " runtime this library was built with";
    }
    return reason;
}

template <class R>
std::int64_t workspace_bytes(ttc_work work, std::int64_t problems, const core::Dims& d,
                             const core::SolverChoice& choice) {
    // The discounted layout is the larger of the two forms (its parameters and gradient sums).
    const UnitLayout u = unit_layout<R>(Form::Discounted, work == TTC_WORK_BACKWARD ? Work::Backward : Work::Forward,
                                        d, choice, work == TTC_WORK_FORWARD_TRAJECTORY);
    return problems * u.stride() * static_cast<std::int64_t>(sizeof(R)) + 2 * 8;
}

}  // namespace
}  // namespace ttc::cuda

using namespace ttc::cuda;
using ttc::cpu::guarded;

extern "C" TTC_CUDA_API int32_t ttc_cuda_abi_version(void) { return TTC_ABI_VERSION; }

extern "C" TTC_CUDA_API const char* ttc_cuda_last_error(void) { return ttc::cpu::last_error_message(); }

extern "C" TTC_CUDA_API int64_t ttc_cuda_last_error_batch_index(void) { return ttc::cpu::last_error_batch_index(); }

extern "C" TTC_CUDA_API ttc_status ttc_cuda_available(int32_t* device_count) {
    return guarded([&] {
        if (device_count == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'device_count' is null");
        *device_count = 0;
        int count = 0;
        const cudaError_t e = cudaGetDeviceCount(&count);
        if (e != cudaSuccess) return fail(TTC_STATUS_CUDA_UNAVAILABLE, unavailable_reason(e));
        if (count == 0) return fail(TTC_STATUS_CUDA_UNAVAILABLE, "no usable CUDA device: the driver reports none");
        *device_count = count;
        return Failure{};
    });
}

extern "C" TTC_CUDA_API ttc_status ttc_cuda_decode_status(uint64_t word, int32_t* status, int64_t* batch_index) {
    return guarded([&] {
        if (status == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'status' is null");
        if (batch_index == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'batch_index' is null");
        ttc_status s = TTC_STATUS_OK;
        idx b = -1;
        decode_status(word, &s, &b);
        *status = s;
        *batch_index = b;
        return Failure{};
    });
}

extern "C" TTC_CUDA_API ttc_status ttc_cuda_workspace_size(int32_t dtype, int32_t work, int64_t problems, int64_t n,
                                                           int64_t m, int64_t T, const ttc_options* options,
                                                           int64_t* bytes) {
    return guarded([&] {
        if (bytes == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'bytes' is null");
        ttc::core::SolverChoice choice;
        Failure f = ttc::cpu::read_options(options, &choice);
        if (f.failed()) return f;
        const ttc::core::Dims d{problems, 1, T, n, m};
        f = ttc::cpu::check_dims(d, "argument 'T'", "argument 'n'", "argument 'm'");
        if (f.failed()) return f;
        if (problems > (std::int64_t(1) << 40))
            return fail(TTC_STATUS_SIZE_OVERFLOW, "argument 'problems' must be <= 2^40 for a size query");
        return ttc::cpu::answer_size_query(dtype, work, bytes, [&](auto element, ttc_work w) {
            return workspace_bytes<decltype(element)>(w, problems, d, choice);
        });
    });
}

#define TTC_CUDA_ENTRY_POINTS(SUFFIX, R)                                                                              \
    extern "C" TTC_CUDA_API ttc_status ttc_cuda_explicit_forward_##SUFFIX(                                           \
        const ttc_explicit_problem* problem, const ttc_options* options, const ttc_solution* solution,                \
        ttc_cuda_stream stream, uint64_t* device_status) {                                                            \
        return guarded([&] { return forward<R>(problem, options, solution, stream, device_status); }); \
    }                                                                                                                 \
    extern "C" TTC_CUDA_API ttc_status ttc_cuda_explicit_backward_##SUFFIX(                                          \
        const ttc_explicit_problem* problem, const ttc_options* options, const ttc_upstream* upstream,                \
        const ttc_explicit_grads* grads, ttc_cuda_stream stream, uint64_t* device_status) {                           \
        return guarded([&] {                                                                                          \
            return backward<R>(problem, options, upstream, grads, stream, device_status);            \
        });                                                                                                           \
    }                                                                                                                 \
    extern "C" TTC_CUDA_API ttc_status ttc_cuda_discounted_forward_##SUFFIX(                                         \
        const ttc_discounted_problem* problem, const ttc_options* options, const ttc_solution* solution,              \
        ttc_cuda_stream stream, uint64_t* device_status) {                                                            \
        return guarded(                                                                                               \
            [&] { return forward<R>(problem, options, solution, stream, device_status); });        \
    }                                                                                                                 \
    extern "C" TTC_CUDA_API ttc_status ttc_cuda_discounted_backward_##SUFFIX(                                        \
        const ttc_discounted_problem* problem, const ttc_options* options, const ttc_upstream* upstream,              \
        const ttc_discounted_grads* grads, ttc_cuda_stream stream, uint64_t* device_status) {                         \
        return guarded([&] {                                                                                          \
            return backward<R>(problem, options, upstream, grads, stream, device_status);          \
        });                                                                                                           \
    }

TTC_CUDA_ENTRY_POINTS(f32, float)
TTC_CUDA_ENTRY_POINTS(f64, double)
