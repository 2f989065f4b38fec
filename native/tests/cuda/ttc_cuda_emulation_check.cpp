// ttc_cuda_emulation_check: ttc_cuda_check's cases against the host emulation of the CUDA kernels
// (emulated_backend.hpp), so that machines without a GPU check the kernels' code, their workspace layout and
// chunking, and the status word, against the CPU f64 reference. It does not replace ttc_cuda_check on a GPU.
// It runs the case list with one thread per problem, then the quick cases with teams of 3 and of 11 host threads per
// problem (the warp and block kernels' code; ThreadSanitizer checks their synchronisation in ./build.sh test).
// Exit status: 0 when every comparison is within tolerance, 1 when one is not.
//   TTC_CUDA_CHECK_QUICK=1  small cases only
//   TTC_TEST_SEED=<n>       base seed (printed either way)
#include <chrono>

#include "check_runner.hpp"
#include "emulated_backend.hpp"

int main() {
    using namespace ttc::check;
    const std::uint64_t seed = seed_from_environment();
    const bool quick = std::getenv("TTC_CUDA_CHECK_QUICK") != nullptr;
    int status = 0;
    for (const ttc::core::idx team_size : {1, 3, 11}) {
        const bool all_cases = team_size == 1 && !quick;
        std::printf("ttc_cuda_emulation_check (the CUDA kernels' code on the host), seed %llu, %lld thread(s) per "
                    "problem, %s cases\n",
                    static_cast<unsigned long long>(seed), static_cast<long long>(team_size),
                    all_cases ? "all" : "quick");
        const auto start = std::chrono::steady_clock::now();
        EmulatedBackend emulation(team_size);
        status |= run_all(emulation, !all_cases, seed);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        std::printf("(%.1f s)\n", took.count());
    }
    return status;
}
