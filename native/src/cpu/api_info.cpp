// ABI entry points that solve nothing: versions, status strings, threads, the instruction set, and the workspace and
// saved-state size queries.
#include "api_support.hpp"
#include "isa_choice.hpp"
#include "saved_states.hpp"

#ifndef TTC_VERSION_STRING
#define TTC_VERSION_STRING "0.0.0"
#endif

using namespace ttc::cpu;

extern "C" TTC_API const char* ttc_last_error(void) { return last_error_message(); }

extern "C" TTC_API int64_t ttc_last_error_batch_index(void) { return last_error_batch_index(); }

extern "C" TTC_API int32_t ttc_abi_version(void) { return TTC_ABI_VERSION; }

extern "C" TTC_API const char* ttc_version(void) { return TTC_VERSION_STRING; }

extern "C" TTC_API const char* ttc_status_string(int32_t status) {
    switch (status) {
        case TTC_STATUS_OK: return "ok";
        case TTC_STATUS_NULL_POINTER: return "null pointer or absent required tensor";
        case TTC_STATUS_INVALID_ARGUMENT: return "invalid argument";
        case TTC_STATUS_SHAPE_MISMATCH: return "shape mismatch";
        case TTC_STATUS_BAD_STRIDE: return "bad stride";
        case TTC_STATUS_CAPACITY_TOO_SMALL: return "capacity too small";
        case TTC_STATUS_SIZE_OVERFLOW: return "size overflows int64";
        case TTC_STATUS_NON_FINITE: return "non-finite input (NaN or Inf)";
        case TTC_STATUS_NON_POSITIVE_RHO: return "rho must be positive";
        case TTC_STATUS_ZERO_DIAGONAL: return "A_t has a zero diagonal entry";
        case TTC_STATUS_INVALID_DISCOUNT: return "log gamma must be <= 0";
        case TTC_STATUS_NOT_CONVEX: return "problem is not convex";
        case TTC_STATUS_ILL_CONDITIONED: return "problem is ill-conditioned";
        case TTC_STATUS_OUT_OF_MEMORY: return "out of memory";
        case TTC_STATUS_INTERNAL: return "internal error";
        case TTC_STATUS_CUDA_UNAVAILABLE: return "no usable CUDA device";
        case TTC_STATUS_CUDA_ERROR: return "CUDA runtime error";
        default: return "unknown status";
    }
}

extern "C" TTC_API ttc_status ttc_set_num_threads(int32_t num_threads) {
    return guarded([&] {
        if (num_threads < 1)
            return fail(TTC_STATUS_INVALID_ARGUMENT,
                        "argument 'num_threads' = " + std::to_string(num_threads) + " must be >= 1");
        set_thread_count(num_threads);
        return Failure{};
    });
}

extern "C" TTC_API int32_t ttc_get_num_threads(void) { return thread_count(); }

extern "C" TTC_API const char* ttc_cpu_isa(void) { return isa_name(); }

namespace {

template <class R>
std::int64_t workspace_bytes(const SolverChoice& choice, ttc_work work, idx n, idx m, idx T) {
    const bool backward = work == TTC_WORK_BACKWARD;
    const LqrShape shape{n, m, T, backward ? 2 : 1, work != TTC_WORK_FORWARD, choice.full_storage};
    // Parameters gathered per problem (the discounted form's, the larger of the two forms).
    idx elements = lqr_workspace_elements<R>(choice.riccati, shape) + discounted_param_elements(n, m);
    if (backward) elements += trajectory_pair_elements(n, m, T) + discounted_grad_elements(n, m);
    return elements * static_cast<std::int64_t>(sizeof(R));
}

// What both size queries check first: *bytes writable, the options, then the sizes.
Failure check_size_query(const std::int64_t* bytes, const ttc_options* options, const Dims& d, SolverChoice* choice) {
    if (bytes == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'bytes' is null");
    Failure f = read_options(options, choice);
    if (f.failed()) return f;
    return check_dims(d, "argument 'T'", "argument 'n'", "argument 'm'");
}

}  // namespace

extern "C" TTC_API ttc_status ttc_workspace_size(int32_t dtype, int32_t work, int64_t n, int64_t m, int64_t T,
                                                 const ttc_options* options, int64_t* bytes) {
    return guarded([&] {
        SolverChoice choice;
        Failure f = check_size_query(bytes, options, Dims{1, 1, T, n, m}, &choice);
        if (f.failed()) return f;
        return answer_size_query(dtype, work, bytes, [&](auto element, ttc_work w) {
            return workspace_bytes<decltype(element)>(choice, w, n, m, T);
        });
    });
}

extern "C" TTC_API ttc_status ttc_saved_size(int32_t dtype, int64_t problems, int64_t n, int64_t m, int64_t T,
                                             const ttc_options* options, int64_t* bytes) {
    return guarded([&] {
        if (problems < 0)
            return fail(TTC_STATUS_INVALID_ARGUMENT,
                        "argument 'problems' = " + std::to_string(problems) + " must be >= 0");
        SolverChoice choice;
        Failure f = check_size_query(bytes, options, Dims{problems, 1, T, n, m}, &choice);
        if (f.failed()) return f;
        if (dtype != TTC_DTYPE_F64 && dtype != TTC_DTYPE_F32)
            return fail(TTC_STATUS_INVALID_ARGUMENT,
                        "argument 'dtype' = " + std::to_string(dtype) + " is not a ttc_dtype");
        const bool full = choice.full_storage;
        const std::int64_t need = dtype == TTC_DTYPE_F64 ? saved_buffer_bytes<double>(problems, n, T, full)
                                                         : saved_buffer_bytes<float>(problems, n, T, full);
        if (need < 0) return fail(TTC_STATUS_INVALID_ARGUMENT, "the saved-state size overflows int64");
        *bytes = need;
        return Failure{};
    });
}
