// The instruction set that the including translation unit compiles the solvers for (cpu/form_solvers.cpp builds them
// once per instruction set). Every template and inline function of core/ and of the CPU solver headers lives in an
// inline namespace named after it. So two translation units built for different instruction sets never emit a symbol
// of the same name, and the linker cannot hand one's AVX2 copy to the other's baseline caller. Names such as
// ttc::core::gemm_nn are unaffected.
#pragma once

#ifndef TTC_ISA
#define TTC_ISA baseline
#endif

#define TTC_ISA_BEGIN inline namespace TTC_ISA {
#define TTC_ISA_END }
