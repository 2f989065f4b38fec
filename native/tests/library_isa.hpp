// The instruction set the loaded libttc.so solves with (ttc_cpu_isa), looked up rather than linked so that the tools
// that print it also run against libraries older than that function, which have the baseline only.
#pragma once

#include <dlfcn.h>

namespace ttc::test {

inline const char* library_isa() {
    auto* cpu_isa = reinterpret_cast<const char* (*)()>(dlsym(RTLD_DEFAULT, "ttc_cpu_isa"));
    return cpu_isa != nullptr ? cpu_isa() : "baseline (a library without ttc_cpu_isa)";
}

}  // namespace ttc::test
