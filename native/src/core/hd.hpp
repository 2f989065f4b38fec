// Host/device qualifiers so that the math in core/ compiles once for the CPU backend and once under nvcc.
#pragma once

#include <cmath>
#include <cstdint>

#include "isa.hpp"

#if defined(__CUDACC__)
#define TTC_HD __host__ __device__ inline
#else
#define TTC_HD inline
#endif

// TTC_DEVICE_OUT_OF_LINE: a function (a solver, a gradient writer) kept out of line on the device, so that ptxas
// allocates its registers apart from the rest of the kernel: inlined, under the f32 kernels' cap of 128 registers, the
// pointers and counts that the rest of the kernel keeps live were spilled and reloaded inside its loops (docs/CUDA.md,
// "Registers, spills and local memory in loops"). The host code is unchanged.
// TTC_SAVED_TOPS: saved sweep states (SavedTops, lqr_problem.hpp) are a CPU feature; device code compiles without their
// branches.
#if defined(__CUDA_ARCH__)
#define TTC_DEVICE_OUT_OF_LINE __noinline__
#define TTC_SAVED_TOPS 0
#else
#define TTC_DEVICE_OUT_OF_LINE
#define TTC_SAVED_TOPS 1
#endif

namespace ttc::core {
TTC_ISA_BEGIN

using idx = std::int64_t;

template <class R>
TTC_HD R abs_value(R x) { return x < R(0) ? -x : x; }

template <class R>
TTC_HD R max_value(R x, R y) { return x < y ? y : x; }

template <class R>
TTC_HD R min_value(R x, R y) { return y < x ? y : x; }

// False for NaN and +-Inf, without <cmath> classification calls (same on host and device).
template <class R>
TTC_HD bool is_finite_value(R x) { return x - x == R(0); }

// True when x > 0 (false for NaN): a Cholesky pivot.
template <class R>
TTC_HD bool is_positive(R x) { return x > R(0); }

// True when x > 0 and finite: a usable norm or scale.
template <class R>
TTC_HD bool positive_and_finite(R x) { return x > R(0) && x - x == R(0); }

// Lanes: an element type R may carry the same element of several problems (the CPU's batch-SIMD layout,
// cpu/lanes.hpp). The rare steps that branch on a value (an LU pivot) go lane by lane through lane(x, l); every
// other step is the same arithmetic on every lane. A plain scalar is one lane.
template <class R>
struct lane_traits {
    using scalar = R;
    static constexpr idx count = 1;
};

template <class R>
TTC_HD R& lane(R& x, idx) { return x; }

// a * b + c, rounded once (a fused multiply-add) where the code is built for an instruction set that has one: the
// AVX2 solvers (TTC_ISA_FMA, cpu/form_solvers.cpp) and CUDA devices; rounded twice elsewhere. The solvers accumulate
// every product through add_product or subtract_product below, and compile with contraction off, so that each
// operation rounds the same way in a problem solved alone and in a group of lanes (cpu/lanes.hpp).
template <class R>
TTC_HD R multiply_add(R a, R b, R c) {
#if defined(__CUDA_ARCH__)
    if constexpr (sizeof(R) == sizeof(float)) return ::fmaf(a, b, c);
    else return ::fma(a, b, c);
#elif TTC_ISA_FMA
    if constexpr (sizeof(R) == sizeof(float)) return __builtin_fmaf(a, b, c);
    else return __builtin_fma(a, b, c);
#else
    return a * b + c;
#endif
}

// sum += a * b and sum -= a * b, through multiply_add. In place, so that the CPU's lanes (cpu/lanes.hpp) stay in
// registers where a returned value went through the stack.
template <class R>
TTC_HD void add_product(R& sum, R a, R b) { sum = multiply_add(a, b, sum); }
template <class R>
TTC_HD void subtract_product(R& sum, R a, R b) { sum = multiply_add(-a, b, sum); }

// How a kernel holds a coefficient that it reads from a factor for a row of updates (substitution.hpp): by reference
// in the FMA build, where a copy of a CPU lane vector was stored in two halves and then loaded whole, stalling every
// row; by value elsewhere: with a reference, the SSE2 baseline's Riccati forward took 1.2-1.45x as long
// (docs/BENCHMARKS.md).
#if TTC_ISA_FMA
template <class R>
using RowCoefficient = const R&;
#else
template <class R>
using RowCoefficient = const R;
#endif

TTC_HD double sqrt_value(double x) { return ::sqrt(x); }
TTC_HD float sqrt_value(float x) { return ::sqrtf(x); }
TTC_HD double exp_value(double x) { return ::exp(x); }
TTC_HD float exp_value(float x) { return ::expf(x); }

template <class R>
struct numeric_limits_lite;

template <>
struct numeric_limits_lite<double> {
    static constexpr double epsilon = 2.220446049250313e-16;
};

template <>
struct numeric_limits_lite<float> {
    static constexpr float epsilon = 1.1920929e-07f;
};

TTC_ISA_END
}  // namespace ttc::core
