/*
 * ttc_cuda.h: the CUDA backend of TtcNative (libttc_cuda.so), a raw device-pointer API over the structs of ttc.h.
 *
 * The library is separate from libttc.so so that the CPU library loads where no CUDA driver exists. It links the
 * CUDA runtime statically; it needs a driver only when a function below is called.
 *
 * Arguments:
 *   - Every ttc_tensor's data is a device pointer (cudaMalloc memory, or managed memory). The structs themselves and
 *     their shapes, strides and capacities live in host memory and are read before the call returns.
 *   - Alignment: each data pointer must be aligned to its element size (4 bytes for f32, 8 for f64); nothing stronger
 *     is assumed. Strides, capacities and the overlap rule are those of ttc.h.
 *   - stream is a cudaStream_t (CUDA declares it as struct CUstream_st*); null is the legacy default stream.
 *
 * Asynchrony and errors:
 *   - Descriptor errors (null pointers, ranks, shapes, strides, capacities, options) return a status at once and
 *     launch nothing; ttc_cuda_last_error() names the argument.
 *   - Otherwise the call enqueues its work on `stream` and returns TTC_STATUS_OK (or TTC_STATUS_CUDA_ERROR /
 *     TTC_STATUS_OUT_OF_MEMORY when a launch or a stream-ordered allocation is refused at once).
 *   - Value errors (NaN or Inf, rho <= 0, a zero diagonal of A_t, log gamma > 0) and numeric failures (NOT_CONVEX,
 *     ILL_CONDITIONED) are found on the device. They are written to the optional device status word, once the
 *     stream reaches the end of the call. A value error writes no output; a numeric failure may leave outputs
 *     partly written. Decode the word with ttc_cuda_decode_status.
 *   - Scratch memory comes from the stream-ordered allocator (cudaMallocAsync) and is freed on the stream. Large
 *     batches run in chunks that fit in half of the free device memory.
 *
 * Small |a| (DESIGN.md §3.2): as on the CPU, a problem with min |(A_t)_ii| < tau is solved by the Riccati solver.
 * Results agree with the CPU f64 reference to DESIGN.md §0 tolerances. f32 sums over heads (gradients of B and Q
 * shared by the heads of a token) run in head order, so results are bitwise reproducible on one device.
 */
#ifndef TTC_TTC_CUDA_H
#define TTC_TTC_CUDA_H

#include "ttc.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#if defined(TTC_BUILDING_CUDA_LIBRARY)
#define TTC_CUDA_API __declspec(dllexport)
#else
#define TTC_CUDA_API __declspec(dllimport)
#endif
#else
#define TTC_CUDA_API __attribute__((visibility("default")))
#endif

/** A cudaStream_t. */
typedef struct CUstream_st* ttc_cuda_stream;

/**
 * Batch indices a device status word can name: a word is 0 while every problem is fine, else
 * ((TTC_CUDA_STATUS_BATCH_LIMIT - 1 - batch_index) << 8) | status, and the lowest failing batch index wins.
 */
#define TTC_CUDA_STATUS_BATCH_LIMIT 36028797018963968

/** The ABI version this library was built with (TTC_ABI_VERSION of ttc.h). */
TTC_CUDA_API int32_t ttc_cuda_abi_version(void);

/**
 * Writes the number of usable CUDA devices to *device_count and returns TTC_STATUS_OK when there is at least one.
 * Otherwise writes 0 and returns TTC_STATUS_CUDA_UNAVAILABLE; ttc_cuda_last_error() gives the reason (no driver,
 * driver too old, no device).
 */
TTC_CUDA_API ttc_status ttc_cuda_available(int32_t* device_count);

/** The message of the last failure of a ttc_cuda_* call on the calling thread, or "" after a success. */
TTC_CUDA_API const char* ttc_cuda_last_error(void);

/** The batch index of the last failure of a ttc_cuda_* call on the calling thread, or -1 when none applies. */
TTC_CUDA_API int64_t ttc_cuda_last_error_batch_index(void);

/**
 * Decodes a device status word copied back to the host: *status is a ttc_status (TTC_STATUS_OK for 0) and
 * *batch_index the failing problem (token * H + head), or -1.
 */
TTC_CUDA_API ttc_status ttc_cuda_decode_status(uint64_t word, int32_t* status, int64_t* batch_index);

/**
 * Bytes of device scratch one call allocates for a batch of `problems` problems (before chunking), for the given
 * dtype, ttc_work and options. A problem may fall back to Riccati, so the figure covers both solvers.
 */
TTC_CUDA_API ttc_status ttc_cuda_workspace_size(int32_t dtype, int32_t work, int64_t problems, int64_t n, int64_t m,
                                                int64_t T, const ttc_options* options, int64_t* bytes);

/** Solves explicit-form problems in f32 on the device. device_status may be null. */
TTC_CUDA_API ttc_status ttc_cuda_explicit_forward_f32(const ttc_explicit_problem* problem, const ttc_options* options,
                                                      const ttc_solution* solution, ttc_cuda_stream stream,
                                                      uint64_t* device_status);
/** Solves explicit-form problems in f64 on the device. */
TTC_CUDA_API ttc_status ttc_cuda_explicit_forward_f64(const ttc_explicit_problem* problem, const ttc_options* options,
                                                      const ttc_solution* solution, ttc_cuda_stream stream,
                                                      uint64_t* device_status);
/** Gradients of L for explicit-form problems in f32 on the device (DESIGN.md §4, E8). */
TTC_CUDA_API ttc_status ttc_cuda_explicit_backward_f32(const ttc_explicit_problem* problem,
                                                       const ttc_options* options, const ttc_upstream* upstream,
                                                       const ttc_explicit_grads* grads, ttc_cuda_stream stream,
                                                       uint64_t* device_status);
/** Gradients of L for explicit-form problems in f64 on the device. */
TTC_CUDA_API ttc_status ttc_cuda_explicit_backward_f64(const ttc_explicit_problem* problem,
                                                       const ttc_options* options, const ttc_upstream* upstream,
                                                       const ttc_explicit_grads* grads, ttc_cuda_stream stream,
                                                       uint64_t* device_status);
/** Solves discounted-form problems in f32 on the device; per-step values are generated in the kernel (E3). */
TTC_CUDA_API ttc_status ttc_cuda_discounted_forward_f32(const ttc_discounted_problem* problem,
                                                        const ttc_options* options, const ttc_solution* solution,
                                                        ttc_cuda_stream stream, uint64_t* device_status);
/** Solves discounted-form problems in f64 on the device. */
TTC_CUDA_API ttc_status ttc_cuda_discounted_forward_f64(const ttc_discounted_problem* problem,
                                                        const ttc_options* options, const ttc_solution* solution,
                                                        ttc_cuda_stream stream, uint64_t* device_status);
/** Gradients of L for discounted-form problems in f32 on the device, chained through E3. */
TTC_CUDA_API ttc_status ttc_cuda_discounted_backward_f32(const ttc_discounted_problem* problem,
                                                         const ttc_options* options, const ttc_upstream* upstream,
                                                         const ttc_discounted_grads* grads, ttc_cuda_stream stream,
                                                         uint64_t* device_status);
/** Gradients of L for discounted-form problems in f64 on the device. */
TTC_CUDA_API ttc_status ttc_cuda_discounted_backward_f64(const ttc_discounted_problem* problem,
                                                         const ttc_options* options, const ttc_upstream* upstream,
                                                         const ttc_discounted_grads* grads, ttc_cuda_stream stream,
                                                         uint64_t* device_status);

#ifdef __cplusplus
}
#endif

#endif /* TTC_TTC_CUDA_H */
