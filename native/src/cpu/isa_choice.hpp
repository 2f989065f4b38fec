// The solvers of both forms as compiled for one instruction set (form_solvers.cpp), and the choice of the set this CPU
// runs (isa_choice.cpp). Outside core/isa.hpp's namespace: every build of form_solvers.cpp and the entry points share
// it.
#pragma once

#include "failure.hpp"
#include "ttc/ttc.h"

namespace ttc::cpu {

enum class Isa { baseline, avx2 };

using ExplicitForward = Failure (*)(const ttc_explicit_problem*, const ttc_options*, const ttc_solution*);
using ExplicitBackward = Failure (*)(const ttc_explicit_problem*, const ttc_options*, const ttc_upstream*,
                                     const ttc_explicit_grads*);
using DiscountedForward = Failure (*)(const ttc_discounted_problem*, const ttc_options*, const ttc_solution*);
using DiscountedBackward = Failure (*)(const ttc_discounted_problem*, const ttc_options*, const ttc_upstream*,
                                       const ttc_discounted_grads*);

struct IsaSolvers {
    ExplicitForward explicit_forward_f64, explicit_forward_f32;
    ExplicitBackward explicit_backward_f64, explicit_backward_f32;
    DiscountedForward discounted_forward_f64, discounted_forward_f32;
    DiscountedBackward discounted_backward_f64, discounted_backward_f32;
};

// Defined by form_solvers.cpp for each instruction set the build compiles: the baseline always, AVX2 on x86-64 with
// GCC or Clang (TTC_HAVE_AVX2_SOLVERS).
template <Isa>
const IsaSolvers& solvers_for();

// AVX2's solvers when the CPU and the OS support AVX2 and FMA and the environment variable TTC_CPU_ISA is not
// "baseline"; the baseline's otherwise. Chosen once, at the first call. They round multiply-adds differently
// (form_solvers.cpp).
const IsaSolvers& isa_solvers();

// "avx2" or "baseline": the instruction set isa_solvers() runs.
const char* isa_name();

}  // namespace ttc::cpu
