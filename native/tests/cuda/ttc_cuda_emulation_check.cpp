// ttc_cuda_emulation_check: ttc_cuda_check's cases against the host emulation of the CUDA kernels
// (emulated_backend.hpp), so that machines without a GPU check the kernels' per-thread code, their workspace layout
// and chunking, and the status word, against the CPU f64 reference. It does not replace ttc_cuda_check on a GPU.
// Exit status: 0 when every comparison is within tolerance, 1 when one is not.
//   TTC_CUDA_CHECK_QUICK=1  small cases only
//   TTC_TEST_SEED=<n>       base seed (printed either way)
#include "check_runner.hpp"
#include "emulated_backend.hpp"

int main() {
    using namespace ttc::check;
    const std::uint64_t seed = seed_from_environment();
    const bool quick = std::getenv("TTC_CUDA_CHECK_QUICK") != nullptr;
    std::printf("ttc_cuda_emulation_check (the CUDA kernels' per-thread code on the host), seed %llu%s\n",
                static_cast<unsigned long long>(seed), quick ? ", quick" : "");
    EmulatedBackend emulation;
    return run_all(emulation, quick, seed);
}
