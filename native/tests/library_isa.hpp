// The instruction set the loaded libttc solves with (ttc_cpu_isa). On POSIX it is looked up rather than linked, so the
// tools that print it also run against a libttc.so older than that function (LD_LIBRARY_PATH), which has the baseline
// only.
#pragma once

#if defined(_WIN32)
#include "ttc/ttc.h"
#else
#include <dlfcn.h>
#endif

namespace ttc::test {

inline const char* library_isa() {
#if defined(_WIN32)
    return ttc_cpu_isa();
#else
    auto* cpu_isa = reinterpret_cast<const char* (*)()>(dlsym(RTLD_DEFAULT, "ttc_cpu_isa"));
    return cpu_isa != nullptr ? cpu_isa() : "baseline (a library without ttc_cpu_isa)";
#endif
}

}  // namespace ttc::test
