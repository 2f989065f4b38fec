// ttc_cpu_isa names the instruction set that the solvers run with (native/src/cpu/isa_choice.cpp). ctest runs this
// binary both as it is and with TTC_CPU_ISA=baseline (native/tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "ttc/ttc.h"

namespace {

bool cpu_has_avx2_and_fma() {
#if defined(__x86_64__) && defined(__GNUC__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

TEST(CpuIsa, RunsAvx2WhereTheCpuHasItUnlessTheBaselineIsRequested) {
    const char* requested = std::getenv("TTC_CPU_ISA");
    const bool baseline_requested = requested != nullptr && std::string(requested) == "baseline";
    EXPECT_STREQ(ttc_cpu_isa(), cpu_has_avx2_and_fma() && !baseline_requested ? "avx2" : "baseline");
}

}  // namespace
