/*
 * ttc.h: the C ABI of TtcNative, the single contract between the native core and every binding.
 *
 * Batched finite-horizon LQR (DESIGN.md §2):
 *   h_t = A_t h_{t-1} + B_t u_t,  t = 1..T,  h_0 given                                   (E1)
 *   J   = 1/2 sum_t (h_t' Q_t h_t + u_t' R_t u_t) + sum_t (q_t' h_t + r_t' u_t)             (E2)
 * with A_t = diag(a_t), R_t = diag(rho_t). The batch is (N tokens) x (H heads); H = 1 for plain problems.
 *
 * Conventions (DESIGN.md §0):
 *   - Array index k = 0..T-1 holds step t = k+1. Q[k] is the cost on h_{k+1}; Q[T-1] is the terminal Q_T.
 *   - n and T come from `a`, m comes from `rho`. Every other field is checked against them.
 *   - Every array is a ttc_tensor: {data, ndim, shape, element strides, capacity in elements}. A stride of 0 is
 *     allowed only on the head axis (axis 1) of an input. Outputs must be dense (row-major) and never overlap an
 *     input or another output.
 *   - A tensor with ndim = 0 is "absent"; only optional fields may be absent.
 *   - Validation happens before the first write to any output; a validation failure leaves every output untouched.
 *     A numeric failure found while solving (NOT_CONVEX, ILL_CONDITIONED) may leave outputs partly written; the
 *     failing batch index (token * H + head) is reported by ttc_last_error_batch_index().
 *
 * Errors: every function that can fail returns a ttc_status. The thread-local ttc_last_error() explains the last
 * failure on the calling thread and names the argument. Nothing aborts, throws across the ABI, or prints.
 *
 * Threads: the library is thread-safe. Results are bitwise independent of the thread count, of N, and of a
 * problem's position in the batch. The only shared state is a lazily created thread pool (ttc_set_num_threads).
 *
 * Small |a| (DESIGN.md §3.2): the symplectic sweep divides by A_t. When a problem has min_t,i |(A_t)_ii| < tau,
 * that problem is solved with the Riccati solver instead (same outputs, same accuracy). tau is
 * TTC_SMALL_A_TAU_F64 for f64 and TTC_SMALL_A_TAU_F32 for f32.
 *
 * Convexity: PSD is not checked up front. The Riccati solver returns TTC_STATUS_NOT_CONVEX when a Cholesky of
 * S_t = R_t + B_t' P_t B_t fails; the symplectic solver returns it when an LU of Z_t (E5) or Y1 (E7) is singular.
 */
#ifndef TTC_TTC_H
#define TTC_TTC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#if defined(TTC_BUILDING_LIBRARY)
#define TTC_API __declspec(dllexport)
#else
#define TTC_API __declspec(dllimport)
#endif
#else
#define TTC_API __attribute__((visibility("default")))
#endif

/** ABI version. Bump on every incompatible change of a struct, enum or signature. */
#define TTC_ABI_VERSION 3
/** Maximum rank of a ttc_tensor. */
#define TTC_MAX_DIMS 6
/** Largest horizon T accepted, so that T-sized loops and allocations stay bounded. */
#define TTC_MAX_HORIZON 16777216
/** Largest state size n and control size m accepted, so that per-problem sizes (n^2 T, n m T) fit in int64. */
#define TTC_MAX_NM 65536
/** Below this min |(A_t)_ii| an f64 problem is solved by the Riccati solver (DESIGN.md §3.2, small |a|). */
#define TTC_SMALL_A_TAU_F64 1e-4
/** Below this min |(A_t)_ii| an f32 problem is solved by the Riccati solver (DESIGN.md §3.2, small |a|). */
#define TTC_SMALL_A_TAU_F32 1e-2

/** Status code returned by every fallible function. */
typedef enum ttc_status {
    /** Success. */
    TTC_STATUS_OK = 0,
    /** A required pointer (struct, tensor data, or out-parameter) is null, or a required tensor is absent. */
    TTC_STATUS_NULL_POINTER = 1,
    /** An argument is out of range: T < 0 or too large, n or m <= 0, an unknown option, overlapping outputs. */
    TTC_STATUS_INVALID_ARGUMENT = 2,
    /** A tensor's rank or shape disagrees with N, H, T, n or m. */
    TTC_STATUS_SHAPE_MISMATCH = 3,
    /** A stride is negative, zero outside the head axis of an input, or an output is not dense. */
    TTC_STATUS_BAD_STRIDE = 4,
    /** A tensor's capacity is smaller than its shape and strides address. */
    TTC_STATUS_CAPACITY_TOO_SMALL = 5,
    /** A size or offset computation overflows int64. */
    TTC_STATUS_SIZE_OVERFLOW = 6,
    /** An input holds NaN or Inf. */
    TTC_STATUS_NON_FINITE = 7,
    /** rho <= 0 somewhere (R_t must be positive definite). */
    TTC_STATUS_NON_POSITIVE_RHO = 8,
    /** A diagonal entry of A_t is exactly zero (explicit a = 0, or 1 + gamma_A^t a_i = 0 in the discounted form). */
    TTC_STATUS_ZERO_DIAGONAL = 9,
    /** A log-discount is positive (the discounted form needs log gamma <= 0). */
    TTC_STATUS_INVALID_DISCOUNT = 10,
    /** The problem is not convex: a Cholesky or LU failed. The batch index names the problem. */
    TTC_STATUS_NOT_CONVEX = 11,
    /** The solve lost accuracy or produced a non-finite value. The batch index names the problem. */
    TTC_STATUS_ILL_CONDITIONED = 12,
    /** An allocation failed. */
    TTC_STATUS_OUT_OF_MEMORY = 13,
    /** A bug in the library; the message says where. */
    TTC_STATUS_INTERNAL = 14,
    /** No usable CUDA device or driver (ttc_cuda.h); the message says why. */
    TTC_STATUS_CUDA_UNAVAILABLE = 15,
    /** The CUDA runtime reported an error (a launch, an allocation on the device, a bad device pointer). */
    TTC_STATUS_CUDA_ERROR = 16
} ttc_status;

/** Which forward solver runs. Both give the same answer to DESIGN.md §0 tolerances. */
typedef enum ttc_solver {
    /** Matmul-only symplectic sweep with QR re-orthonormalisation and one LU at the end (E5-E7). */
    TTC_SOLVER_SYMPLECTIC = 0,
    /** Sequential Riccati recursion with Cholesky (E4): the reference. */
    TTC_SOLVER_RICCATI = 1
} ttc_solver;

/** How the symplectic rollout (E9) gets the sweep state of each step. */
typedef enum ttc_storage {
    /** Store the sweep state every ceil(sqrt(T)) steps and recompute between them: O(sqrt(T) n^2) memory. */
    TTC_STORAGE_CHECKPOINTS = 0,
    /** Store the sweep state of every step: O(T n^2) memory, no recomputation. */
    TTC_STORAGE_FULL = 1
} ttc_storage;

/** Element type, for ttc_workspace_size. */
typedef enum ttc_dtype {
    TTC_DTYPE_F32 = 0,
    TTC_DTYPE_F64 = 1
} ttc_dtype;

/** What a call computes, for ttc_workspace_size. */
typedef enum ttc_work {
    /** Forward, u_1 and optionally P_0 only. */
    TTC_WORK_FORWARD = 0,
    /** Forward with the trajectory (h, u, lambda). */
    TTC_WORK_FORWARD_TRAJECTORY = 1,
    /** Backward (primal and adjoint solved together). */
    TTC_WORK_BACKWARD = 2
} ttc_work;

/** A strided array. data is read-only for inputs and written for outputs. */
typedef struct ttc_tensor {
    /** First element. May be null only when the tensor has no elements. */
    void* data;
    /** Rank; 0 marks an absent optional tensor. */
    int64_t ndim;
    /** Extent of each axis; entries past ndim are ignored. */
    int64_t shape[TTC_MAX_DIMS];
    /** Distance in elements between neighbours along each axis. */
    int64_t strides[TTC_MAX_DIMS];
    /** Number of elements readable or writable from data. */
    int64_t capacity;
} ttc_tensor;

/** Solver options. A null ttc_options pointer means the defaults (all fields 0). */
typedef struct ttc_options {
    /** ttc_solver; default TTC_SOLVER_SYMPLECTIC. */
    int32_t solver;
    /** ttc_storage; default TTC_STORAGE_CHECKPOINTS. */
    int32_t storage;
    /**
     * Optional host buffer of saved_bytes >= ttc_saved_size bytes, 8-byte aligned, or null (DESIGN.md §4, "an optional
     * buffer saved by the forward"). A discounted-form forward on the CPU writes into it the symplectic sweep's state
     * at the top of every rollout segment, O(sqrt(T) n^2) per problem with checkpoints (O(T n^2) with full storage),
     * with a fingerprint of each problem's inputs. The backward of the same problems with the same options then
     * starts each segment from those states instead of sweeping the whole horizon again, for every problem whose
     * states match its inputs and whose upstream gradients vanish past the first segment (the TTC layer's case: only
     * dL/du_1). Any other problem, and any content the backward cannot match, is recomputed: the gradients are
     * bitwise the same with or without the buffer, whatever it held before the forward: it need not be initialised.
     * The explicit form, the Riccati solver and the CUDA entry points neither write nor read it.
     */
    void* saved;
    /** Bytes at saved. */
    int64_t saved_bytes;
} ttc_options;

/** The explicit form (DESIGN.md §2, form 1). */
typedef struct ttc_explicit_problem {
    /** [N, H, T, n]: diagonal of A_t; every entry non-zero. */
    ttc_tensor a;
    /** [N, H, T, n, m]: B_t. The head stride may be 0. */
    ttc_tensor B;
    /** [N, H, T, n, n]: Q_t, the cost on h_t, used as (Q + Q')/2. The head stride may be 0. */
    ttc_tensor Q;
    /** [N, H, T, m]: diagonal of R_t; every entry > 0. */
    ttc_tensor rho;
    /** [N, H, n]: the initial state h_0. */
    ttc_tensor h0;
    /** Optional [N, H, T, n]: linear state cost q_t. */
    ttc_tensor q;
    /** Optional [N, H, T, m]: linear control cost r_t. */
    ttc_tensor r;
} ttc_explicit_problem;

/** The discounted form (DESIGN.md §2, E3), generated per step inside the solver. */
typedef struct ttc_discounted_problem {
    /** Horizon T >= 0. */
    int64_t T;
    /** [N, H, n]: a in A_t = I + gamma_A^t diag(a). */
    ttc_tensor a;
    /** [N, H]: log gamma_A <= 0. */
    ttc_tensor log_gamma_a;
    /** [N, H, n, m]: B in B_t = B diag(gamma_B^t). The head stride may be 0. */
    ttc_tensor B;
    /** [N, H, m]: log gamma_B <= 0. */
    ttc_tensor log_gamma_b;
    /** [N, H, n, n]: Q in Q_t = diag(gamma_Q^t) Q diag(gamma_Q^t), t < T. The head stride may be 0. */
    ttc_tensor Q;
    /** [N, H, n]: log gamma_Q <= 0. */
    ttc_tensor log_gamma_q;
    /** [N, H, n, n]: the terminal cost Q_T = Q_f. */
    ttc_tensor Qf;
    /** [N, H, m]: R_t = diag(rho), rho > 0. */
    ttc_tensor rho;
    /** [N, H, n]: the initial state h_0. */
    ttc_tensor h0;
} ttc_discounted_problem;

/** Forward outputs; each is optional (ndim = 0 skips it). All must be dense. */
typedef struct ttc_solution {
    /** [N, H, m]: the first optimal control u_1 (0 when T = 0). */
    ttc_tensor u1;
    /** [N, H, T, m]: u_1..u_T. */
    ttc_tensor u;
    /** [N, H, T+1, n]: h_0..h_T. */
    ttc_tensor h;
    /** [N, H, T+1, n]: the costates lambda_0..lambda_T (DESIGN.md §4 convention). */
    ttc_tensor lambda;
    /** [N, H, n, n]: P_0 of the value function V_0(h) = h' P_0 h / 2 + p_0' h + const. */
    ttc_tensor P0;
} ttc_solution;

/** Upstream gradients of a loss L; each optional (absent means zero). */
typedef struct ttc_upstream {
    /** [N, H, Tu, m] with Tu <= T: dL/du_t for t = 1..Tu; later steps get zero. Tu = 1 is the TTC layer's case. */
    ttc_tensor grad_u;
    /** [N, H, Th, n] with Th <= T: dL/dh_t for t = 1..Th; later steps get zero. */
    ttc_tensor grad_h;
} ttc_upstream;

/**
 * Gradients of the explicit form; each optional. Shapes are those of the inputs, except that the head extent may be
 * 1 instead of H: the gradient is then summed over heads in order 0..H-1 (for broadcast inputs).
 */
typedef struct ttc_explicit_grads {
    ttc_tensor a;
    ttc_tensor B;
    ttc_tensor Q;
    ttc_tensor rho;
    ttc_tensor h0;
    ttc_tensor q;
    ttc_tensor r;
} ttc_explicit_grads;

/** Gradients of the discounted form; each optional; head extent H or 1 (summed over heads) as for explicit grads. */
typedef struct ttc_discounted_grads {
    ttc_tensor a;
    ttc_tensor log_gamma_a;
    ttc_tensor B;
    ttc_tensor log_gamma_b;
    ttc_tensor Q;
    ttc_tensor log_gamma_q;
    ttc_tensor Qf;
    ttc_tensor rho;
    ttc_tensor h0;
} ttc_discounted_grads;

/** The ABI version this library was built with (TTC_ABI_VERSION). */
TTC_API int32_t ttc_abi_version(void);

/** The library version, "major.minor.patch". Static storage. */
TTC_API const char* ttc_version(void);

/** A fixed English description of a status code. Static storage; unknown codes give "unknown status". */
TTC_API const char* ttc_status_string(int32_t status);

/** The message of the last failure on the calling thread, or "" after a success. Valid until the next call. */
TTC_API const char* ttc_last_error(void);

/** The batch index (token * H + head) of the last failure on the calling thread, or -1 when none applies. */
TTC_API int64_t ttc_last_error_batch_index(void);

/** Sizes the worker pool (1 = run on the calling thread). Default: the hardware concurrency. */
TTC_API ttc_status ttc_set_num_threads(int32_t num_threads);

/** The worker pool size that the next call will use. */
TTC_API int32_t ttc_get_num_threads(void);

/** The instruction set the CPU solvers run with: "avx2" on a CPU and OS with AVX2 and FMA (x86-64 builds made with GCC
 *  or Clang compile the solvers for it too), else "baseline" (SSE2 on x86-64). Chosen at the first solve; the
 *  environment variable TTC_CPU_ISA=baseline, set before then, forces the baseline. The two differ in rounding only:
 *  "avx2" fuses the solvers' multiply-adds, so their results agree within the documented tolerances, not bitwise.
 *  Either is bitwise independent of threads, batch size and a problem's position. Static storage. */
TTC_API const char* ttc_cpu_isa(void);

/**
 * Bytes of scratch memory one problem of this size needs inside a call of the given kind and solver (the library
 * allocates it itself, once per chunk of problems on each worker thread). Writes the count to *bytes. Without a
 * trajectory the symplectic figure is O(n^2 + nm), independent of T; with checkpoints it is O(sqrt(T) n^2). A
 * problem that falls back to Riccati (small |a|) needs the TTC_SOLVER_RICCATI figure, which stores O(T n^2) for a
 * trajectory. On the CPU either solver works on 4 (f64) or 8 (f32) problems at once: a worker thread then holds
 * that many times this figure, plus, with a trajectory or in the backward, that many problems' trajectories
 * interleaved (O(T (n + m)) each, the size of the outputs themselves).
 */
TTC_API ttc_status ttc_workspace_size(int32_t dtype, int32_t work, int64_t n, int64_t m, int64_t T,
                                      const ttc_options* options, int64_t* bytes);

/**
 * Bytes of the saved-state buffer (ttc_options.saved) for `problems` problems (N * H) of this size, dtype, and the
 * options' storage. Writes the count to *bytes.
 */
TTC_API ttc_status ttc_saved_size(int32_t dtype, int64_t problems, int64_t n, int64_t m, int64_t T,
                                  const ttc_options* options, int64_t* bytes);

/** Solves explicit-form problems in f64. */
TTC_API ttc_status ttc_explicit_forward_f64(const ttc_explicit_problem* problem, const ttc_options* options,
                                            const ttc_solution* solution);
/** Solves explicit-form problems in f32. */
TTC_API ttc_status ttc_explicit_forward_f32(const ttc_explicit_problem* problem, const ttc_options* options,
                                            const ttc_solution* solution);

/**
 * Gradients of L for explicit-form problems in f64, by the adjoint LQR of DESIGN.md §4 (E8). Stateless: the primal
 * solution is recomputed.
 */
TTC_API ttc_status ttc_explicit_backward_f64(const ttc_explicit_problem* problem, const ttc_options* options,
                                             const ttc_upstream* upstream, const ttc_explicit_grads* grads);
/** Gradients of L for explicit-form problems in f32. */
TTC_API ttc_status ttc_explicit_backward_f32(const ttc_explicit_problem* problem, const ttc_options* options,
                                             const ttc_upstream* upstream, const ttc_explicit_grads* grads);

/** Solves discounted-form problems in f64. */
TTC_API ttc_status ttc_discounted_forward_f64(const ttc_discounted_problem* problem, const ttc_options* options,
                                              const ttc_solution* solution);
/** Solves discounted-form problems in f32. */
TTC_API ttc_status ttc_discounted_forward_f32(const ttc_discounted_problem* problem, const ttc_options* options,
                                              const ttc_solution* solution);

/** Gradients of L for discounted-form problems in f64, chained through E3. */
TTC_API ttc_status ttc_discounted_backward_f64(const ttc_discounted_problem* problem, const ttc_options* options,
                                               const ttc_upstream* upstream, const ttc_discounted_grads* grads);
/** Gradients of L for discounted-form problems in f32, chained through E3. */
TTC_API ttc_status ttc_discounted_backward_f32(const ttc_discounted_problem* problem, const ttc_options* options,
                                               const ttc_upstream* upstream, const ttc_discounted_grads* grads);

#ifdef __cplusplus
}
#endif

#endif /* TTC_TTC_H */
