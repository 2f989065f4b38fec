// The body of ttc_cuda_check, over a backend: the CUDA library on a GPU (ttc_cuda_check.cpp), or the host emulation
// of its kernels (ttc_cuda_emulation_check.cpp). Each case runs the forward (u_1, P_0 and the trajectory) and the
// backward (every gradient) on the CPU in f64 and on the backend in f64 and f32, and compares them with the error
// measure and tolerances of DESIGN.md §0.
//
// A backend provides:
//   using Memory;                                         where its arrays live (check_arrays.hpp)
//   static constexpr bool kMatchesCpuBitwise;             true when it runs the CPU library's code on the host (the
//                                                         emulation): every result must then be the CPU's, bit for
//                                                         bit, whatever the team size (core/team.hpp)
//   ttc_status forward<R>(problem, options, solution)     one call; its status word is kept by the backend
//   ttc_status backward<R>(problem, options, upstream, grads)
//   uint64_t status_word()                                waits for the last call, then reads its status word
//   const char* last_error()                              the message of the last call that did not return OK
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../../src/cuda/status_word.hpp"
#include "check_cases.hpp"

namespace ttc::check {

inline double rel_error(const Vec& x, const Vec& y) {
    double diff = 0, scale = 0;
    if (x.size() != y.size()) return INFINITY;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i]) || std::isnan(y[i])) return INFINITY;
        diff = std::max(diff, std::fabs(x[i] - y[i]));
        scale = std::max(scale, std::fabs(y[i]));
    }
    return diff / (1 + scale);
}

// The named arrays of one run: inputs, solution outputs and gradient outputs, in the memory of a backend.
template <class R, class Memory>
struct Run {
    Arrays<R, Memory> arrays;
    const CaseData& c;

    explicit Run(const CaseData& data) : c(data) {
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

    ttc_tensor input(const char* name) const { return arrays.tensor(name); }
    ttc_tensor grad(const char* name) const { return arrays.tensor(std::string("grad ") + name); }

    ttc_solution solution() const {
        return {input("u1"), input("u"), input("h"), input("lambda"), input("P0")};
    }
    ttc_upstream upstream() const { return {input("grad_u"), input("grad_h")}; }
    ttc_explicit_problem explicit_problem() const {
        return {input("a"), input("B"), input("Q"), input("rho"), input("h0"), input("q"), input("r")};
    }
    ttc_explicit_grads explicit_grads() const {
        return {grad("a"), grad("B"), grad("Q"), grad("rho"), grad("h0"), grad("q"), grad("r")};
    }
    ttc_discounted_problem discounted_problem() const {
        ttc_discounted_problem p{};
        p.T = c.spec.T;
        p.a = input("a");
        p.log_gamma_a = input("log_gamma_a");
        p.B = input("B");
        p.log_gamma_b = input("log_gamma_b");
        p.Q = input("Q");
        p.log_gamma_q = input("log_gamma_q");
        p.Qf = input("Qf");
        p.rho = input("rho");
        p.h0 = input("h0");
        return p;
    }
    ttc_discounted_grads discounted_grads() const {
        ttc_discounted_grads g{};
        g.a = grad("a");
        g.log_gamma_a = grad("log_gamma_a");
        g.B = grad("B");
        g.log_gamma_b = grad("log_gamma_b");
        g.Q = grad("Q");
        g.log_gamma_q = grad("log_gamma_q");
        g.Qf = grad("Qf");
        g.rho = grad("rho");
        g.h0 = grad("h0");
        return g;
    }
};

inline bool ok_or_report(ttc_status s, const char* what, const char* message) {
    if (s == TTC_STATUS_OK) return true;
    std::printf("  %s failed: %s (%s)\n", what, ttc_status_string(s), message);
    return false;
}

inline bool word_ok(std::uint64_t word, const char* what) {
    ttc_status status = TTC_STATUS_OK;
    std::int64_t batch = -1;
    cuda::decode_status(word, &status, &batch);
    if (status == TTC_STATUS_OK) return true;
    std::printf("  %s status word: %s at batch index %lld\n", what, ttc_status_string(status),
                static_cast<long long>(batch));
    return false;
}

// Forward and backward of a run on the CPU library, in the run's precision; exits when a call fails.
template <class R>
void solve_on_cpu(Run<R, HostMemory>& run, const ttc_options& o) {
    constexpr bool f64 = sizeof(R) == 8;
    const ttc_solution s = run.solution();
    const ttc_upstream up = run.upstream();
    bool ok = true;
    if (run.c.discounted) {
        const ttc_discounted_problem p = run.discounted_problem();
        const ttc_discounted_grads g = run.discounted_grads();
        ok = ok_or_report(f64 ? ttc_discounted_forward_f64(&p, &o, &s) : ttc_discounted_forward_f32(&p, &o, &s),
                          "CPU forward", ttc_last_error()) &&
             ok_or_report(f64 ? ttc_discounted_backward_f64(&p, &o, &up, &g)
                              : ttc_discounted_backward_f32(&p, &o, &up, &g),
                          "CPU backward", ttc_last_error());
    } else {
        const ttc_explicit_problem p = run.explicit_problem();
        const ttc_explicit_grads g = run.explicit_grads();
        ok = ok_or_report(f64 ? ttc_explicit_forward_f64(&p, &o, &s) : ttc_explicit_forward_f32(&p, &o, &s),
                          "CPU forward", ttc_last_error()) &&
             ok_or_report(f64 ? ttc_explicit_backward_f64(&p, &o, &up, &g) : ttc_explicit_backward_f32(&p, &o, &up, &g),
                          "CPU backward", ttc_last_error());
    }
    if (!ok) std::exit(1);
}

inline void solve_reference(Run<double, HostMemory>& run) { solve_on_cpu(run, ttc_options{}); }

// Runs forward and backward on the backend; false (reported) when a call or its status word fails.
template <class R, class Backend, class Problem, class Grads>
bool solve_on(Backend& backend, const Problem& p, const Grads& g, const Run<R, typename Backend::Memory>& run,
              const ttc_options& o) {
    const ttc_solution s = run.solution();
    const ttc_upstream up = run.upstream();
    const ttc_status fwd = backend.template forward<R>(p, &o, s);
    bool ok = ok_or_report(fwd, "forward call", backend.last_error()) && word_ok(backend.status_word(), "forward");
    const ttc_status bwd = backend.template backward<R>(p, &o, up, g);
    ok = ok_or_report(bwd, "backward call", backend.last_error()) && word_ok(backend.status_word(), "backward") && ok;
    return ok;
}

template <class R, class Backend>
bool solve_on(Backend& backend, const Run<R, typename Backend::Memory>& run, const ttc_options& o) {
    return run.c.discounted ? solve_on<R>(backend, run.discounted_problem(), run.discounted_grads(), run, o)
                            : solve_on<R>(backend, run.explicit_problem(), run.explicit_grads(), run, o);
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

// The arrays a run writes: u1 first, the other outputs, then a gradient per input ("grad " + input name).
inline std::vector<std::string> written_arrays(const CaseData& c) {
    std::vector<std::string> names = {"u1", "u", "h", "lambda", "P0"};
    for (const auto& [name, in] : c.inputs) names.push_back("grad " + name);
    return names;
}

template <class R, class Memory>
bool compare(const char* dtype, const Run<double, HostMemory>& reference, const Run<R, Memory>& run) {
    const Tolerance tol = tolerance_for<R>(run.c.spec.T);
    bool ok = true;
    double worst_out = 0, worst_grad = 0;
    for (const std::string& name : written_arrays(run.c)) {
        if (tol.u1_only && name != "u1") continue;
        const bool gradient = name.rfind("grad ", 0) == 0;
        const double limit = gradient ? tol.gradients : tol.outputs;
        double& worst = gradient ? worst_grad : worst_out;
        const double e = rel_error(run.arrays.read(name), reference.arrays.read(name));
        worst = std::max(worst, e);
        if (!(e <= limit)) {
            std::printf("  %s %s: error %.3g > %.1g\n", dtype, name.c_str(), e, limit);
            ok = false;
        }
    }
    if (tol.u1_only)
        std::printf("  %s: u1 %.2e (tol %.0e); T > 1024, so only u1 is compared (DESIGN.md §0)  %s\n", dtype,
                    worst_out, tol.outputs, ok ? "ok" : "FAIL");
    else
        std::printf("  %s: outputs %.2e (tol %.0e), gradients %.2e (tol %.0e)  %s\n", dtype, worst_out, tol.outputs,
                    worst_grad, tol.gradients, ok ? "ok" : "FAIL");
    return ok;
}

// For a backend that runs the CPU library's code (kMatchesCpuBitwise): every output and gradient equals the CPU
// library's, in the same precision and with the same options, bit for bit. `cpu` is that CPU solve.
template <class R, class Memory>
bool matches_cpu_bitwise(const char* label, const Run<R, Memory>& run, const Run<R, HostMemory>& cpu) {
    for (const std::string& name : written_arrays(run.c)) {
        const Vec x = run.arrays.read(name), y = cpu.arrays.read(name);
        if (x.size() != y.size() || !std::equal(x.begin(), x.end(), y.begin(), [](double a, double b) {
                return a == b || (std::isnan(a) && std::isnan(b));
            })) {
            std::printf("  %s %s: differs from the CPU library's (error %.3g); it must be bitwise equal  FAIL\n",
                        label, name.c_str(), rel_error(x, y));
            return false;
        }
    }
    return true;
}

template <class R, class Backend>
bool run_variant(Backend& backend, const Run<double, HostMemory>& reference, const char* label,
                 const ttc_options& o) {
    Run<R, typename Backend::Memory> run(reference.c);
    bool ok = solve_on(backend, run, o) && compare(label, reference, run);
    if constexpr (Backend::kMatchesCpuBitwise) {
        // The reference is already the CPU's f64 solve with the default options.
        const ttc_options defaults{};
        if constexpr (sizeof(R) == 8) {
            if (o.solver == defaults.solver && o.storage == defaults.storage)
                return ok && matches_cpu_bitwise(label, run, reference);
        }
        if (ok) {
            Run<R, HostMemory> cpu(reference.c);
            solve_on_cpu(cpu, o);
            ok = matches_cpu_bitwise(label, run, cpu);
        }
    }
    return ok;
}

// Every case runs the default solver (symplectic, checkpointed rollout) in f64 and f32, and one more f64 variant by
// case index: the Riccati reference solver, or the symplectic solver storing every step (a different layout).
template <class Backend>
bool run_case(Backend& backend, const CaseData& c, int index) {
    std::printf("%s\n", c.label().c_str());
    std::fflush(stdout);
    Run<double, HostMemory> reference(c);
    solve_reference(reference);
    const ttc_options symplectic{TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS, nullptr, 0};
    bool ok = run_variant<double>(backend, reference, "f64", symplectic);
    ok = run_variant<float>(backend, reference, "f32", symplectic) && ok;
    if (index % 2 == 0)
        ok = run_variant<double>(backend, reference, "f64 Riccati", {TTC_SOLVER_RICCATI, TTC_STORAGE_CHECKPOINTS, nullptr, 0}) && ok;
    else
        ok = run_variant<double>(backend, reference, "f64 full storage", {TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_FULL, nullptr, 0}) &&
             ok;
    std::fflush(stdout);
    return ok;
}

// Value errors in two problems (NaN in h0 of batch index 3, rho = 0 in batch index 5): the call returns OK, its
// status word reports the lower batch index, 3, with NON_FINITE, and no output is written.
template <class Backend>
bool run_value_error_check(Backend& backend) {
    std::printf("value errors: NaN in h0 of batch index 3, rho = 0 in batch index 5\n");
    CaseData c = make_case({Regime::Symplectic, 3, 2, 5, 8, 1}, 7);
    c.inputs["h0"].second[3 * 8 + 2] = NAN;
    c.inputs["rho"].second[5 * 5 * 1 + 4] = 0.0;
    Run<float, typename Backend::Memory> run(c);
    const ttc_status call = backend.template forward<float>(run.explicit_problem(), nullptr, run.solution());
    ttc_status status = TTC_STATUS_OK;
    std::int64_t batch = -1;
    cuda::decode_status(backend.status_word(), &status, &batch);
    const Vec u1 = run.arrays.read("u1");
    const bool untouched = std::all_of(u1.begin(), u1.end(), [](double v) { return v == 0.0; });
    const bool ok = call == TTC_STATUS_OK && status == TTC_STATUS_NON_FINITE && batch == 3 && untouched;
    std::printf("  call %s, word %s at %lld, outputs %s  %s\n", ttc_status_string(call), ttc_status_string(status),
                static_cast<long long>(batch), untouched ? "untouched" : "WRITTEN", ok ? "ok" : "FAIL");
    return ok;
}

// A non-convex problem in batch indices 2 and 4 (Q_t = -50 I): the Riccati solver's Cholesky fails, the call
// returns OK and its status word reports NOT_CONVEX at batch index 2, found while solving (after the value checks).
template <class Backend>
bool run_numeric_failure_check(Backend& backend) {
    std::printf("numeric failure: Q_t = -50 I in batch indices 2 and 4, Riccati solver\n");
    CaseData c = make_case({Regime::Symplectic, 3, 2, 4, 3, 2}, 11);
    Vec& Q = c.inputs["Q"].second;
    for (std::int64_t b : {2, 4})
        for (std::int64_t t = 0; t < 4; ++t)
            for (std::int64_t i = 0; i < 3; ++i)
                for (std::int64_t j = 0; j < 3; ++j) Q[((b * 4 + t) * 3 + i) * 3 + j] = i == j ? -50.0 : 0.0;
    Run<double, typename Backend::Memory> run(c);
    const ttc_options riccati{TTC_SOLVER_RICCATI, TTC_STORAGE_CHECKPOINTS, nullptr, 0};
    const ttc_status call = backend.template forward<double>(run.explicit_problem(), &riccati, run.solution());
    ttc_status status = TTC_STATUS_OK;
    std::int64_t batch = -1;
    cuda::decode_status(backend.status_word(), &status, &batch);
    const bool ok = call == TTC_STATUS_OK && status == TTC_STATUS_NOT_CONVEX && batch == 2;
    std::printf("  call %s, word %s at %lld  %s\n", ttc_status_string(call), ttc_status_string(status),
                static_cast<long long>(batch), ok ? "ok" : "FAIL");
    return ok;
}

inline std::vector<CaseSpec> case_list(bool quick) {
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

// Every case of the list, then the value-error and numeric-failure checks; the exit status (0 pass, 1 a failure).
template <class Backend>
int run_all(Backend& backend, bool quick, std::uint64_t seed) {
    int failures = 0, index = 0;
    for (const CaseSpec& spec : case_list(quick)) {
        failures += run_case(backend, make_case(spec, seed + index), index) ? 0 : 1;
        ++index;
    }
    failures += run_value_error_check(backend) ? 0 : 1;
    failures += run_numeric_failure_check(backend) ? 0 : 1;
    std::printf("%s: %d case(s) failed\n", failures == 0 ? "PASS" : "FAIL", failures);
    return failures == 0 ? 0 : 1;
}

inline std::uint64_t seed_from_environment() {
    const char* text = std::getenv("TTC_TEST_SEED");
    return text ? std::strtoull(text, nullptr, 10) : 20261123;
}

}  // namespace ttc::check
