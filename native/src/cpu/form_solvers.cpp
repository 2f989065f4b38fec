// The solvers of both forms for the instruction set TTC_ISA (core/isa.hpp). native/CMakeLists.txt compiles this file
// once as it is, for the baseline, and once more with TTC_ISA=avx2 and TTC_ISA_AVX2=1.
//
// Only the code that follows the target pragma is compiled for AVX2, and all of it lives in the inline namespace
// ttc::*::avx2. So everything else that this file compiles must be parsed before the pragma: the standard library
// and the headers of code shared with the rest of the library. Otherwise one of their inline functions could be
// emitted here with AVX2 instructions, under the same name as the baseline's copy, and the linker may keep either.
// The test cpu_isa_objects (native/tests/CMakeLists.txt) disassembles the AVX2 object and fails if that happens.
//
// AVX2 with FMA: hd.hpp's multiply_add rounds once here (TTC_ISA_FMA) and twice in the baseline, and contraction is
// off (native/CMakeLists.txt), so no other multiply-add is fused. The two builds round differently and agree within
// DESIGN.md §0's tolerances (the test cpu_isas_agree); within each, a problem has the same bits alone or in lanes.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <new>
#include <numeric>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>
#if TTC_ISA_AVX2
#include <immintrin.h>  // lanes.hpp's intrinsics, declared here before the target pragma below
#endif

#include "failure.hpp"
#include "isa_choice.hpp"
#include "tensor_check.hpp"
#include "thread_pool.hpp"
#include "ttc/ttc.h"

#if TTC_ISA_AVX2
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#endif

#include "discounted_solve.hpp"
#include "explicit_solve.hpp"

namespace ttc::cpu {

template <>
const IsaSolvers& solvers_for<Isa::TTC_ISA>() {
    static constexpr IsaSolvers solvers{
        &explicit_forward<double>,   &explicit_forward<float>,   &explicit_backward<double>,
        &explicit_backward<float>,   &discounted_forward<double>, &discounted_forward<float>,
        &discounted_backward<double>, &discounted_backward<float>,
    };
    return solvers;
}

}  // namespace ttc::cpu

#if TTC_ISA_AVX2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
