// Native CPU benchmarks of the explicit form (DESIGN.md §2, form 1): per-step a_t, B_t, Q_t, rho_t and linear costs
// q_t, r_t read from the caller's tensors, symplectic against Riccati, forward (u_1 only) and forward + backward
// (gradients of every input), f32 and f64. Same sizes and counters as bench_lqr.cpp.
//   ./build.sh bench --benchmark_filter='Explicit'
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "bench_support.hpp"

namespace {

using ttc::bench::count_useful_work;
using ttc::bench::dense;
using ttc::bench::sweep;

// N problems, H = 1: |a| in [0.75, 1.25] with random signs, B ~ N(0, 1/n), Q_t = I, rho = 1, q and r ~ N(0, 1/4).
template <class R>
struct ExplicitBatch {
    std::int64_t N, T, n, m;
    std::vector<R> a, B, Q, rho, h0, q, r, u1, gu;
    std::vector<R> ga, gB, gQ, grho, gh0, gq, gr;

    ExplicitBatch(std::int64_t N_, std::int64_t T_, std::int64_t n_, std::int64_t m_) : N(N_), T(T_), n(n_), m(m_) {
        std::mt19937_64 rng(42);
        std::normal_distribution<double> normal;
        std::uniform_real_distribution<double> magnitude(0.75, 1.25);
        auto fill = [&](std::vector<R>& v, std::size_t size, double scale) {
            v.resize(size);
            for (auto& x : v) x = static_cast<R>(scale * normal(rng));
        };
        a.resize(N * T * n);
        for (auto& x : a) x = static_cast<R>((normal(rng) < 0 ? -1.0 : 1.0) * magnitude(rng));
        fill(B, N * T * n * m, 1.0 / std::sqrt(double(n)));
        Q.assign(N * T * n * n, R(0));
        for (std::int64_t k = 0; k < N * T; ++k)
            for (std::int64_t i = 0; i < n; ++i) Q[(k * n + i) * n + i] = R(1);
        rho.assign(N * T * m, R(1));
        fill(h0, N * n, 1.0);
        fill(q, N * T * n, 0.5);
        fill(r, N * T * m, 0.5);
        u1.resize(N * m);
        fill(gu, N * m, 1.0);
        for (auto* v : {&ga, &gq}) v->resize(N * T * n);
        gB.resize(N * T * n * m);
        gQ.resize(N * T * n * n);
        for (auto* v : {&grho, &gr}) v->resize(N * T * m);
        gh0.resize(N * n);
    }

    // The inputs and their gradients share names and shapes.
    template <class Tensors, class V>
    Tensors described(const V& va, const V& vB, const V& vQ, const V& vrho, const V& vh0, const V& vq,
                      const V& vr) const {
        Tensors x{};
        x.a = dense(va, {N, 1, T, n});
        x.B = dense(vB, {N, 1, T, n, m});
        x.Q = dense(vQ, {N, 1, T, n, n});
        x.rho = dense(vrho, {N, 1, T, m});
        x.h0 = dense(vh0, {N, 1, n});
        x.q = dense(vq, {N, 1, T, n});
        x.r = dense(vr, {N, 1, T, m});
        return x;
    }

    ttc_explicit_problem problem() const { return described<ttc_explicit_problem>(a, B, Q, rho, h0, q, r); }
    ttc_explicit_grads grads() const { return described<ttc_explicit_grads>(ga, gB, gQ, grho, gh0, gq, gr); }
};

template <class R>
ttc_status forward(const ttc_explicit_problem* p, const ttc_options* o, const ttc_solution* s) {
    if constexpr (sizeof(R) == 8) return ttc_explicit_forward_f64(p, o, s);
    else return ttc_explicit_forward_f32(p, o, s);
}

template <class R>
ttc_status backward(const ttc_explicit_problem* p, const ttc_options* o, const ttc_upstream* u,
                    const ttc_explicit_grads* g) {
    if constexpr (sizeof(R) == 8) return ttc_explicit_backward_f64(p, o, u, g);
    else return ttc_explicit_backward_f32(p, o, u, g);
}

template <class R>
void ExplicitLqr(benchmark::State& state, ttc_solver solver, bool with_backward) {
    const std::int64_t T = state.range(0), n = state.range(1), N = state.range(2);
    ExplicitBatch<R> b(N, T, n, n);
    const ttc_explicit_problem p = b.problem();
    const ttc_explicit_grads g = b.grads();
    const ttc_options o{solver, TTC_STORAGE_CHECKPOINTS, nullptr, 0};
    ttc_solution s{};
    s.u1 = dense(b.u1, {N, 1, n});
    ttc_upstream up{};
    up.grad_u = dense(b.gu, {N, 1, 1, n});
    for (auto _ : state) {
        if (forward<R>(&p, &o, &s) != TTC_STATUS_OK) state.SkipWithError(ttc_last_error());
        if (with_backward && backward<R>(&p, &o, &up, &g) != TTC_STATUS_OK) state.SkipWithError(ttc_last_error());
        benchmark::DoNotOptimize(b.u1.data());
    }
    count_useful_work(state, N, T, n, n);
}

void ExplicitF64(benchmark::State& state, ttc_solver solver, bool backward) { ExplicitLqr<double>(state, solver, backward); }
void ExplicitF32(benchmark::State& state, ttc_solver solver, bool backward) { ExplicitLqr<float>(state, solver, backward); }

}  // namespace

BENCHMARK_CAPTURE(ExplicitF64, symplectic_forward, TTC_SOLVER_SYMPLECTIC, false)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF64, riccati_forward, TTC_SOLVER_RICCATI, false)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF64, symplectic_forward_backward, TTC_SOLVER_SYMPLECTIC, true)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF64, riccati_forward_backward, TTC_SOLVER_RICCATI, true)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF32, symplectic_forward, TTC_SOLVER_SYMPLECTIC, false)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF32, riccati_forward, TTC_SOLVER_RICCATI, false)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF32, symplectic_forward_backward, TTC_SOLVER_SYMPLECTIC, true)->Apply(sweep);
BENCHMARK_CAPTURE(ExplicitF32, riccati_forward_backward, TTC_SOLVER_RICCATI, true)->Apply(sweep);
