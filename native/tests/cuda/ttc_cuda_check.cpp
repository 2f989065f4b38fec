// ttc_cuda_check: the GPU validation of libttc_cuda.so against the CPU f64 reference (libttc.so), with no test
// framework (check_runner.hpp has the cases, tolerances and comparisons).
// Exit status: 0 when every comparison is within tolerance, 1 when one is not, 2 when no GPU can be used.
//   TTC_CUDA_CHECK_QUICK=1  small cases only (for compute-sanitizer)
//   TTC_TEST_SEED=<n>       base seed (printed either way)
#include <cstdlib>

#include "check_runner.hpp"
#include "device_memory.hpp"
#include "ttc/ttc_cuda.h"

namespace ttc::check {
namespace {

// The CUDA entry point for each dtype and form.
ttc_status cuda_forward(double, const ttc_explicit_problem& p, const ttc_options* o, const ttc_solution& s,
                        uint64_t* w) {
    return ttc_cuda_explicit_forward_f64(&p, o, &s, nullptr, w);
}
ttc_status cuda_forward(float, const ttc_explicit_problem& p, const ttc_options* o, const ttc_solution& s,
                        uint64_t* w) {
    return ttc_cuda_explicit_forward_f32(&p, o, &s, nullptr, w);
}
ttc_status cuda_forward(double, const ttc_discounted_problem& p, const ttc_options* o, const ttc_solution& s,
                        uint64_t* w) {
    return ttc_cuda_discounted_forward_f64(&p, o, &s, nullptr, w);
}
ttc_status cuda_forward(float, const ttc_discounted_problem& p, const ttc_options* o, const ttc_solution& s,
                        uint64_t* w) {
    return ttc_cuda_discounted_forward_f32(&p, o, &s, nullptr, w);
}
ttc_status cuda_backward(double, const ttc_explicit_problem& p, const ttc_options* o, const ttc_upstream& up,
                         const ttc_explicit_grads& g, uint64_t* w) {
    return ttc_cuda_explicit_backward_f64(&p, o, &up, &g, nullptr, w);
}
ttc_status cuda_backward(float, const ttc_explicit_problem& p, const ttc_options* o, const ttc_upstream& up,
                         const ttc_explicit_grads& g, uint64_t* w) {
    return ttc_cuda_explicit_backward_f32(&p, o, &up, &g, nullptr, w);
}
ttc_status cuda_backward(double, const ttc_discounted_problem& p, const ttc_options* o, const ttc_upstream& up,
                         const ttc_discounted_grads& g, uint64_t* w) {
    return ttc_cuda_discounted_backward_f64(&p, o, &up, &g, nullptr, w);
}
ttc_status cuda_backward(float, const ttc_discounted_problem& p, const ttc_options* o, const ttc_upstream& up,
                         const ttc_discounted_grads& g, uint64_t* w) {
    return ttc_cuda_discounted_backward_f32(&p, o, &up, &g, nullptr, w);
}

// libttc_cuda.so on GPU 0, on the default stream, with one device status word.
class GpuBackend {
public:
    using Memory = DeviceMemory;
    static constexpr bool kMatchesCpuBitwise = false;  // nvcc contracts multiply-adds into FMAs

    GpuBackend() { word_ = static_cast<uint64_t*>(DeviceMemory::allocate(sizeof(uint64_t))); }
    GpuBackend(const GpuBackend&) = delete;
    GpuBackend& operator=(const GpuBackend&) = delete;
    ~GpuBackend() { DeviceMemory::release(word_); }

    template <class R, class Problem>
    ttc_status forward(const Problem& p, const ttc_options* o, const ttc_solution& s) {
        return cuda_forward(R(0), p, o, s, word_);
    }
    template <class R, class Problem, class Grads>
    ttc_status backward(const Problem& p, const ttc_options* o, const ttc_upstream& up, const Grads& g) {
        return cuda_backward(R(0), p, o, up, g, word_);
    }
    uint64_t status_word() {
        cuda_or_die(cudaDeviceSynchronize(), "running the kernels");
        uint64_t w = 0;
        DeviceMemory::download(&w, word_, sizeof w);
        return w;
    }
    const char* last_error() const { return ttc_cuda_last_error(); }

private:
    uint64_t* word_ = nullptr;
};

// Sets (value non-null) or clears an environment variable; MSVC's C library has _putenv_s instead of setenv.
void set_environment(const char* name, const char* value) {
#if defined(_WIN32)
    _putenv_s(name, value != nullptr ? value : "");
#else
    if (value != nullptr) {
        setenv(name, value, 1);
    } else {
        unsetenv(name);
    }
#endif
}

}  // namespace
}  // namespace ttc::check

int main() {
    using namespace ttc::check;
    int32_t devices = 0;
    if (ttc_cuda_available(&devices) != TTC_STATUS_OK) {
        std::printf("ttc_cuda_check needs a CUDA GPU: %s\n", ttc_cuda_last_error());
        return 2;
    }
    cudaDeviceProp prop{};
    cuda_or_die(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
    const std::uint64_t seed = seed_from_environment();
    const bool quick = std::getenv("TTC_CUDA_CHECK_QUICK") != nullptr;
    std::printf("ttc_cuda_check on %s (sm_%d%d), seed %llu%s\n", prop.name, prop.major, prop.minor,
                static_cast<unsigned long long>(seed), quick ? ", quick" : "");
    GpuBackend gpu;
    int status = run_all(gpu, quick, seed);
    // The cases above run with each n's own team (launch_plan.hpp); the quick cases again with every kind of team
    // forced: a thread, a warp, and blocks of 64 and 256 threads (more ranks than rows).
    for (const char* size : {"1", "32", "64", "256"}) {
        set_environment("TTC_CUDA_TEAM_SIZE", size);
        std::printf("quick cases with TTC_CUDA_TEAM_SIZE=%s\n", size);
        status |= run_all(gpu, true, seed);
    }
    set_environment("TTC_CUDA_TEAM_SIZE", nullptr);
    return status;
}
