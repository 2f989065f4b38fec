// ttc_cuda_check: the GPU validation of libttc_cuda.so against the CPU f64 reference (libttc.so), with no test
// framework. Each case runs the forward (u_1, P_0 and the trajectory) and the backward (every gradient) on the CPU in
// f64 and on the GPU in f64 and f32, and compares them with the error measure and tolerances of DESIGN.md §0.
// Exit status: 0 when every comparison is within tolerance, 1 when one is not, 2 when no GPU can be used.
//   TTC_CUDA_CHECK_QUICK=1  small cases only (for compute-sanitizer)
//   TTC_TEST_SEED=<n>       base seed (printed either way)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "check_cases.hpp"
#include "ttc/ttc_cuda.h"

namespace ttc::check {
namespace {

double rel_error(const Vec& x, const Vec& y) {
    double diff = 0, scale = 0;
    if (x.size() != y.size()) return INFINITY;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i]) || std::isnan(y[i])) return INFINITY;
        diff = std::max(diff, std::fabs(x[i] - y[i]));
        scale = std::max(scale, std::fabs(y[i]));
    }
    return diff / (1 + scale);
}

const char* const kExplicitInputs[] = {"a", "B", "Q", "rho", "h0", "q", "r"};
const char* const kDiscountedInputs[] = {"a", "log_gamma_a", "B", "log_gamma_b", "Q", "log_gamma_q", "Qf", "rho", "h0"};

// The named arrays of one run: inputs, solution outputs and gradient outputs, in host or device memory.
template <class R>
struct Run {
    Arrays<R> arrays;
    const CaseData& c;

    Run(const CaseData& data, bool device) : arrays(device), c(data) {
        for (const auto& [name, in] : c.inputs) arrays.put(name, in.first, in.second);
        for (const auto& [name, in] : c.upstream) arrays.put(name, in.first, in.second);
        const CaseSpec& s = c.spec;
        arrays.put("u1", {{s.N, s.H, s.m}}, {});
        arrays.put("u", {{s.N, s.H, s.T, s.m}}, {});
        arrays.put("h", {{s.N, s.H, s.T + 1, s.n}}, {});
        arrays.put("lambda", {{s.N, s.H, s.T + 1, s.n}}, {});
        arrays.put("P0", {{s.N, s.H, s.n, s.n}}, {});
        for (const auto& [name, in] : c.inputs) {
            Shape g = in.first.shape;
            if (in.first.broadcast_head) g[1] = 1;  // summed over heads
            arrays.put("grad " + name, {g}, {});
        }
    }

    ttc_solution solution() const {
        return {arrays.tensor("u1"), arrays.tensor("u"), arrays.tensor("h"), arrays.tensor("lambda"),
                arrays.tensor("P0")};
    }
    ttc_upstream upstream() const { return {arrays.tensor("grad_u"), arrays.tensor("grad_h")}; }
    ttc_explicit_problem explicit_problem() const {
        const auto& t = [&](const char* name) { return arrays.tensor(name); };
        return {t("a"), t("B"), t("Q"), t("rho"), t("h0"), t("q"), t("r")};
    }
    ttc_explicit_grads explicit_grads() const {
        const auto& t = [&](const char* name) { return arrays.tensor(std::string("grad ") + name); };
        return {t("a"), t("B"), t("Q"), t("rho"), t("h0"), t("q"), t("r")};
    }
    ttc_discounted_problem discounted_problem() const {
        const auto& t = [&](const char* name) { return arrays.tensor(name); };
        ttc_discounted_problem p{};
        p.T = c.spec.T;
        p.a = t("a");
        p.log_gamma_a = t("log_gamma_a");
        p.B = t("B");
        p.log_gamma_b = t("log_gamma_b");
        p.Q = t("Q");
        p.log_gamma_q = t("log_gamma_q");
        p.Qf = t("Qf");
        p.rho = t("rho");
        p.h0 = t("h0");
        return p;
    }
    ttc_discounted_grads discounted_grads() const {
        const auto& t = [&](const char* name) { return arrays.tensor(std::string("grad ") + name); };
        ttc_discounted_grads g{};
        g.a = t("a");
        g.log_gamma_a = t("log_gamma_a");
        g.B = t("B");
        g.log_gamma_b = t("log_gamma_b");
        g.Q = t("Q");
        g.log_gamma_q = t("log_gamma_q");
        g.Qf = t("Qf");
        g.rho = t("rho");
        g.h0 = t("h0");
        return g;
    }
};

bool ok_or_report(ttc_status s, const char* what, const char* message) {
    if (s == TTC_STATUS_OK) return true;
    std::printf("  %s failed: %s (%s)\n", what, ttc_status_string(s), message);
    return false;
}

void solve_cpu(Run<double>& run) {
    const ttc_options o{};
    const ttc_solution s = run.solution();
    const ttc_upstream up = run.upstream();
    bool ok = true;
    if (run.c.discounted) {
        const ttc_discounted_problem p = run.discounted_problem();
        const ttc_discounted_grads g = run.discounted_grads();
        ok = ok_or_report(ttc_discounted_forward_f64(&p, &o, &s), "CPU forward", ttc_last_error()) &&
             ok_or_report(ttc_discounted_backward_f64(&p, &o, &up, &g), "CPU backward", ttc_last_error());
    } else {
        const ttc_explicit_problem p = run.explicit_problem();
        const ttc_explicit_grads g = run.explicit_grads();
        ok = ok_or_report(ttc_explicit_forward_f64(&p, &o, &s), "CPU forward", ttc_last_error()) &&
             ok_or_report(ttc_explicit_backward_f64(&p, &o, &up, &g), "CPU backward", ttc_last_error());
    }
    if (!ok) std::exit(1);
}

// Runs forward and backward on the GPU; false (reported) when a call or the device status word fails.
template <class R>
bool solve_gpu(Run<R>& run, uint64_t* word) {
    constexpr bool f64 = sizeof(R) == 8;
    const ttc_options o{};
    const ttc_solution s = run.solution();
    const ttc_upstream up = run.upstream();
    ttc_status fwd, bwd;
    uint64_t words[2] = {0, 0};
    if (run.c.discounted) {
        const ttc_discounted_problem p = run.discounted_problem();
        const ttc_discounted_grads g = run.discounted_grads();
        fwd = f64 ? ttc_cuda_discounted_forward_f64(&p, &o, &s, nullptr, word)
                  : ttc_cuda_discounted_forward_f32(&p, &o, &s, nullptr, word);
        cuda_or_die(cudaMemcpy(&words[0], word, 8, cudaMemcpyDeviceToHost), "reading the status word");
        bwd = f64 ? ttc_cuda_discounted_backward_f64(&p, &o, &up, &g, nullptr, word)
                  : ttc_cuda_discounted_backward_f32(&p, &o, &up, &g, nullptr, word);
    } else {
        const ttc_explicit_problem p = run.explicit_problem();
        const ttc_explicit_grads g = run.explicit_grads();
        fwd = f64 ? ttc_cuda_explicit_forward_f64(&p, &o, &s, nullptr, word)
                  : ttc_cuda_explicit_forward_f32(&p, &o, &s, nullptr, word);
        cuda_or_die(cudaMemcpy(&words[0], word, 8, cudaMemcpyDeviceToHost), "reading the status word");
        bwd = f64 ? ttc_cuda_explicit_backward_f64(&p, &o, &up, &g, nullptr, word)
                  : ttc_cuda_explicit_backward_f32(&p, &o, &up, &g, nullptr, word);
    }
    cuda_or_die(cudaDeviceSynchronize(), "running the kernels");
    cuda_or_die(cudaMemcpy(&words[1], word, 8, cudaMemcpyDeviceToHost), "reading the status word");
    bool ok = ok_or_report(fwd, "GPU forward call", ttc_cuda_last_error()) &&
              ok_or_report(bwd, "GPU backward call", ttc_cuda_last_error());
    for (uint64_t w : words) {
        int32_t status = 0;
        int64_t batch = -1;
        ttc_cuda_decode_status(w, &status, &batch);
        if (status != TTC_STATUS_OK) {
            std::printf("  GPU status word: %s at batch index %lld\n", ttc_status_string(status),
                        static_cast<long long>(batch));
            ok = false;
        }
    }
    return ok;
}

struct Tolerance {
    double outputs, gradients;
    bool u1_only;
};

// DESIGN.md §0: f64 1e-10 / 1e-9; f32 1e-4 / 1e-3 up to T = 1024, and 1e-4 on u_1 beyond.
template <class R>
Tolerance tolerance_for(std::int64_t T) {
    if (sizeof(R) == 8) return {1e-10, 1e-9, false};
    return {1e-4, 1e-3, T > 1024};
}

template <class R>
bool compare(const char* dtype, const Run<double>& reference, const Run<R>& gpu) {
    const Tolerance tol = tolerance_for<R>(gpu.c.spec.T);
    bool ok = true;
    double worst_out = 0, worst_grad = 0;
    auto check = [&](const std::string& name, double limit, double& worst) {
        const double e = rel_error(gpu.arrays.read(name), reference.arrays.read(name));
        worst = std::max(worst, e);
        if (!(e <= limit)) {
            std::printf("  %s %s: error %.3g > %.1g\n", dtype, name.c_str(), e, limit);
            ok = false;
        }
    };
    check("u1", tol.outputs, worst_out);
    if (!tol.u1_only) {
        for (const char* name : {"u", "h", "lambda", "P0"}) check(name, tol.outputs, worst_out);
        for (const auto& [name, in] : gpu.c.inputs) check("grad " + name, tol.gradients, worst_grad);
    }
    std::printf("  %s: outputs %.2e (tol %.0e)%s, gradients %.2e (tol %.0e)  %s\n", dtype, worst_out, tol.outputs,
                tol.u1_only ? " [u1 only, T > 1024]" : "", worst_grad, tol.gradients, ok ? "ok" : "FAIL");
    return ok;
}

bool run_case(const CaseData& c, uint64_t* word) {
    std::printf("%s\n", c.label().c_str());
    std::fflush(stdout);
    Run<double> reference(c, false);
    solve_cpu(reference);
    Run<double> gpu64(c, true);
    Run<float> gpu32(c, true);
    bool ok = solve_gpu(gpu64, word) && compare("f64", reference, gpu64);
    ok = solve_gpu(gpu32, word) && compare("f32", reference, gpu32) && ok;
    std::fflush(stdout);
    return ok;
}

// A NaN in one problem: the call reports NON_FINITE at that batch index on the status word and writes no output.
bool run_value_error_check(uint64_t* word) {
    std::printf("value error: NaN in h0 of batch index 3\n");
    CaseData c = make_case({Regime::Symplectic, 3, 2, 5, 8, 1}, 7);
    c.inputs["h0"].second[3 * 8 + 2] = NAN;
    Run<float> gpu(c, true);
    const ttc_explicit_problem p = gpu.explicit_problem();
    const ttc_solution s = gpu.solution();
    const ttc_status call = ttc_cuda_explicit_forward_f32(&p, nullptr, &s, nullptr, word);
    cuda_or_die(cudaDeviceSynchronize(), "running the kernels");
    uint64_t w = 0;
    cuda_or_die(cudaMemcpy(&w, word, 8, cudaMemcpyDeviceToHost), "reading the status word");
    int32_t status = 0;
    int64_t batch = -1;
    ttc_cuda_decode_status(w, &status, &batch);
    const Vec u1 = gpu.arrays.read("u1");
    const bool untouched = std::all_of(u1.begin(), u1.end(), [](double v) { return v == 0.0; });
    const bool ok = call == TTC_STATUS_OK && status == TTC_STATUS_NON_FINITE && batch == 3 && untouched;
    std::printf("  call %s, word %s at %lld, outputs %s  %s\n", ttc_status_string(call), ttc_status_string(status),
                static_cast<long long>(batch), untouched ? "untouched" : "WRITTEN", ok ? "ok" : "FAIL");
    return ok;
}

std::vector<CaseSpec> case_list(bool quick) {
    using R = Regime;
    if (quick)
        return {{R::Symplectic, 2, 1, 3, 8, 1},
                {R::SmallA, 1, 2, 4, 1, 8},
                {R::DiscountedTypical, 2, 2, 5, 8, 16, true},
                {R::DiscountedGammaToOne, 1, 1, 6, 8, 1}};
    return {
        {R::Symplectic, 3, 1, 1, 8, 1},           {R::Symplectic, 3, 1, 7, 1, 8},
        {R::Symplectic, 2, 2, 64, 16, 8},         {R::Symplectic, 2, 1, 256, 8, 16},
        {R::Symplectic, 1, 1, 1024, 16, 64},      {R::Symplectic, 1, 1, 2048, 64, 16},
        {R::Symplectic, 2, 4, 16, 16, 8, true},   {R::SmallA, 2, 1, 33, 8, 16},
        {R::SmallA, 1, 2, 512, 16, 1},            {R::DiscountedTypical, 4, 4, 32, 16, 8, true},
        {R::DiscountedTypical, 2, 1, 1, 64, 16},  {R::DiscountedTypical, 2, 1, 1024, 8, 64},
        {R::DiscountedTypical, 1, 1, 2048, 64, 8}, {R::DiscountedGammaToOne, 2, 1, 128, 8, 16},
        {R::DiscountedGammaToOne, 1, 1, 1024, 16, 1},
    };
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
    const char* seed_text = std::getenv("TTC_TEST_SEED");
    const std::uint64_t seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : 20261123;
    const bool quick = std::getenv("TTC_CUDA_CHECK_QUICK") != nullptr;
    std::printf("ttc_cuda_check on %s (sm_%d%d), seed %llu%s\n", prop.name, prop.major, prop.minor,
                static_cast<unsigned long long>(seed), quick ? ", quick" : "");
    uint64_t* word = nullptr;
    cuda_or_die(cudaMalloc(&word, sizeof(uint64_t)), "cudaMalloc");
    int failures = 0, index = 0;
    for (const CaseSpec& spec : case_list(quick)) failures += run_case(make_case(spec, seed + index++), word) ? 0 : 1;
    failures += run_value_error_check(word) ? 0 : 1;
    cudaFree(word);
    std::printf("%s: %d case(s) failed\n", failures == 0 ? "PASS" : "FAIL", failures);
    return failures == 0 ? 0 : 1;
}
