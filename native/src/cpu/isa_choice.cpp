#include "isa_choice.hpp"

#include <cstdlib>
#include <cstring>

namespace ttc::cpu {
namespace {

struct Choice {
    const char* name;
    const IsaSolvers* solvers;
};

bool baseline_requested() {
    const char* requested = std::getenv("TTC_CPU_ISA");
    return requested != nullptr && std::strcmp(requested, "baseline") == 0;
}

// __builtin_cpu_supports also checks that the OS saves the AVX registers (XGETBV).
bool cpu_runs_avx2() {
#if defined(TTC_HAVE_AVX2_SOLVERS)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

Choice choose() {
#if defined(TTC_HAVE_AVX2_SOLVERS)
    if (!baseline_requested() && cpu_runs_avx2()) return {"avx2", &solvers_for<Isa::avx2>()};
#endif
    return {"baseline", &solvers_for<Isa::baseline>()};
}

const Choice& choice() {
    static const Choice chosen = choose();
    return chosen;
}

}  // namespace

const IsaSolvers& isa_solvers() { return *choice().solvers; }

const char* isa_name() { return choice().name; }

}  // namespace ttc::cpu
