// ttc_cuda_emulation_check: ttc_cuda_check's cases against the host emulation of the CUDA kernels
// (emulated_backend.hpp), so that machines without a GPU check the kernels' code, their workspace layout and
// chunking, and the status word, against the CPU f64 reference. It does not replace ttc_cuda_check on a GPU.
// It runs the case list with one thread per problem, then the quick cases with teams of 3 and of 11 host threads per
// problem (the warp and block kernels' code; ThreadSanitizer checks their synchronisation in ./build.sh test).
// It also checks the launch policy: team sizes by n, and the TTC_CUDA_TEAM_SIZE values accepted.
// The CPU library runs its baseline solvers here (use_cpu_baseline_solvers).
// Exit status: 0 when every comparison is within tolerance, 1 when one is not.
//   TTC_CUDA_CHECK_QUICK=1  small cases only
//   TTC_TEST_SEED=<n>       base seed (printed either way)
#include <chrono>

#include "check_runner.hpp"
#include "emulated_backend.hpp"

namespace {

// The launch policy (launch_plan.hpp): a thread below n = 8, a warp to n = 32, then a thread per row in whole
// warps, at most 256; overrides are 1 or a multiple of 32 up to 256, in plain decimal.
int check_launch_policy() {
    using ttc::core::idx;
    int failures = 0;
    const idx by_n[][2] = {{1, 1}, {7, 1}, {8, 32}, {32, 32}, {33, 64}, {64, 64}, {65, 96}, {256, 256}, {300, 256}};
    for (const auto& row : by_n)
        if (ttc::cuda::team_size_for(row[0]) != row[1]) {
            std::printf("  team size for n = %lld: %lld, expected %lld  FAIL\n", static_cast<long long>(row[0]),
                        static_cast<long long>(ttc::cuda::team_size_for(row[0])), static_cast<long long>(row[1]));
            ++failures;
        }
    struct Text {
        const char* text;
        idx expected;  // 0: refused
    };
    const Text texts[] = {{"1", 1},  {"32", 32}, {"64", 64}, {"256", 256}, {"0", 0},      {"2", 0},   {"48", 0},
                          {"288", 0}, {"-32", 0}, {"32x", 0}, {"", 0},      {"99999999999999999999", 0}, {" 32", 0}};
    for (const Text& t : texts) {
        idx size = -1;
        const bool accepted = ttc::cuda::parse_team_size(t.text, &size);
        if (accepted != (t.expected != 0) || (accepted && size != t.expected)) {
            std::printf("  TTC_CUDA_TEAM_SIZE='%s': %s  FAIL\n", t.text, accepted ? "accepted" : "refused");
            ++failures;
        }
    }
    std::printf("launch policy: %s\n", failures == 0 ? "ok" : "FAIL");
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main() {
    using namespace ttc::check;
    use_cpu_baseline_solvers();
    const std::uint64_t seed = seed_from_environment();
    const bool quick = std::getenv("TTC_CUDA_CHECK_QUICK") != nullptr;
    int status = check_launch_policy();
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
