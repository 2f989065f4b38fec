// Native CPU benchmarks (DESIGN.md §7): symplectic against the equally careful native Riccati, forward (u_1 only) and
// forward + backward (gradients of every input), discounted form with B and Q shared by heads, f32 and f64. The
// symplectic forward + backward runs with both ttc_storage choices: the default sqrt(T) checkpoints, and full storage.
//   ./build.sh bench --benchmark_filter='Lqr' --benchmark_min_time=1s
// Counters: problems/s, and GFLOP/s counting 2n^3 + n^2 m multiply-adds per step as useful work (DESIGN.md §7).
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "../tests/library_isa.hpp"
#include "bench_support.hpp"

namespace {

// The context header of every run names the instruction set; TTC_CPU_ISA=baseline times the baseline solvers.
const bool kIsaInContext = (benchmark::AddCustomContext("ttc_cpu_isa", ttc::test::library_isa()), true);

using ttc::bench::count_useful_work;
using ttc::bench::dense;
using ttc::bench::sweep;

template <class R>
struct Batch {
    std::int64_t N, H = 1, T, n, m;
    std::vector<R> a, lga, B, lgb, Q, lgq, Qf, rho, h0, u1, gu;
    std::vector<R> ga, glga, gB, glgb, gQ, glgq, gQf, grho, gh0;

    Batch(std::int64_t N_, std::int64_t T_, std::int64_t n_, std::int64_t m_) : N(N_), T(T_), n(n_), m(m_) {
        std::mt19937_64 rng(42);
        std::normal_distribution<double> normal;
        auto fill = [&](std::vector<R>& v, std::size_t size, double scale, double shift) {
            v.resize(size);
            for (auto& x : v) x = static_cast<R>(shift + scale * normal(rng));
        };
        fill(a, N * n, 0.3, 0.0);
        fill(lga, N, 0.1, -1.4);
        fill(B, N * n * m, 1.0 / std::sqrt(double(n)), 0.0);
        fill(lgb, N * m, 0.1, -1.4);
        Q.assign(N * n * n, R(0));
        Qf.assign(N * n * n, R(0));
        for (std::int64_t b = 0; b < N; ++b)
            for (std::int64_t i = 0; i < n; ++i) Q[(b * n + i) * n + i] = Qf[(b * n + i) * n + i] = R(1);
        fill(lgq, N * n, 0.1, -1.4);
        rho.assign(N * m, R(1));
        fill(h0, N * n, 1.0, 0.0);
        u1.resize(N * m);
        fill(gu, N * m, 1.0, 0.0);
        for (auto* v : {&ga, &gh0}) v->resize(N * n);
        glga.resize(N);
        gB.resize(N * n * m);
        glgb.resize(N * m);
        gQ.resize(N * n * n);
        glgq.resize(N * n);
        gQf.resize(N * n * n);
        grho.resize(N * m);
    }

    ttc_discounted_problem problem() const {
        ttc_discounted_problem p{};
        p.T = T;
        p.a = dense(a, {N, H, n});
        p.log_gamma_a = dense(lga, {N, H});
        p.B = dense(B, {N, H, n, m});
        p.log_gamma_b = dense(lgb, {N, H, m});
        p.Q = dense(Q, {N, H, n, n});
        p.log_gamma_q = dense(lgq, {N, H, n});
        p.Qf = dense(Qf, {N, H, n, n});
        p.rho = dense(rho, {N, H, m});
        p.h0 = dense(h0, {N, H, n});
        return p;
    }
};

template <class R>
ttc_status forward(const ttc_discounted_problem* p, const ttc_options* o, const ttc_solution* s) {
    if constexpr (sizeof(R) == 8) return ttc_discounted_forward_f64(p, o, s);
    else return ttc_discounted_forward_f32(p, o, s);
}

template <class R>
ttc_status backward(const ttc_discounted_problem* p, const ttc_options* o, const ttc_upstream* u, const ttc_discounted_grads* g) {
    if constexpr (sizeof(R) == 8) return ttc_discounted_backward_f64(p, o, u, g);
    else return ttc_discounted_backward_f32(p, o, u, g);
}

// With `saved`, the forward leaves its sweep states in a ttc_options.saved buffer for the backward (ttc.h).
template <class R>
void Lqr(benchmark::State& state, ttc_solver solver, ttc_storage storage, bool with_backward, bool saved = false) {
    const std::int64_t T = state.range(0), n = state.range(1), N = state.range(2);
    Batch<R> b(N, T, n, n);
    const ttc_discounted_problem p = b.problem();
    ttc_options o{solver, storage, nullptr, 0};
    std::vector<std::uint64_t> saved_words;
    if (saved) {
        if (ttc_saved_size(sizeof(R) == 8 ? TTC_DTYPE_F64 : TTC_DTYPE_F32, N, n, n, T, &o, &o.saved_bytes) !=
            TTC_STATUS_OK)
            state.SkipWithError(ttc_last_error());
        saved_words.resize(static_cast<std::size_t>(o.saved_bytes / 8));
        o.saved = saved_words.data();
    }
    ttc_solution s{};
    s.u1 = dense(b.u1, {N, 1, n});
    ttc_upstream up{};
    up.grad_u = dense(b.gu, {N, 1, 1, n});
    ttc_discounted_grads g{};
    g.a = dense(b.ga, {N, 1, n});
    g.log_gamma_a = dense(b.glga, {N, 1});
    g.B = dense(b.gB, {N, 1, n, n});
    g.log_gamma_b = dense(b.glgb, {N, 1, n});
    g.Q = dense(b.gQ, {N, 1, n, n});
    g.log_gamma_q = dense(b.glgq, {N, 1, n});
    g.Qf = dense(b.gQf, {N, 1, n, n});
    g.rho = dense(b.grho, {N, 1, n});
    g.h0 = dense(b.gh0, {N, 1, n});
    for (auto _ : state) {
        if (forward<R>(&p, &o, &s) != TTC_STATUS_OK) state.SkipWithError(ttc_last_error());
        if (with_backward && backward<R>(&p, &o, &up, &g) != TTC_STATUS_OK) state.SkipWithError(ttc_last_error());
        benchmark::DoNotOptimize(b.u1.data());
    }
    count_useful_work(state, N, T, n, n);
}

constexpr ttc_storage kCheckpoints = TTC_STORAGE_CHECKPOINTS, kFullStorage = TTC_STORAGE_FULL;

void LqrF64(benchmark::State& state, ttc_solver solver, ttc_storage storage, bool with_backward, bool saved = false) {
    Lqr<double>(state, solver, storage, with_backward, saved);
}
void LqrF32(benchmark::State& state, ttc_solver solver, ttc_storage storage, bool with_backward, bool saved = false) {
    Lqr<float>(state, solver, storage, with_backward, saved);
}

}  // namespace

BENCHMARK_CAPTURE(LqrF64, symplectic_forward, TTC_SOLVER_SYMPLECTIC, kCheckpoints, false)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF64, riccati_forward, TTC_SOLVER_RICCATI, kCheckpoints, false)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF64, symplectic_forward_backward, TTC_SOLVER_SYMPLECTIC, kCheckpoints, true)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF64, symplectic_full_storage_forward_backward, TTC_SOLVER_SYMPLECTIC, kFullStorage, true)
    ->Apply(sweep);
BENCHMARK_CAPTURE(LqrF64, riccati_forward_backward, TTC_SOLVER_RICCATI, kCheckpoints, true)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF64, symplectic_saved_forward_backward, TTC_SOLVER_SYMPLECTIC, kCheckpoints, true, true)
    ->Apply(sweep);
BENCHMARK_CAPTURE(LqrF64, symplectic_full_storage_saved_forward_backward, TTC_SOLVER_SYMPLECTIC, kFullStorage, true,
                  true)
    ->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, symplectic_forward, TTC_SOLVER_SYMPLECTIC, kCheckpoints, false)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, riccati_forward, TTC_SOLVER_RICCATI, kCheckpoints, false)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, symplectic_forward_backward, TTC_SOLVER_SYMPLECTIC, kCheckpoints, true)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, symplectic_full_storage_forward_backward, TTC_SOLVER_SYMPLECTIC, kFullStorage, true)
    ->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, riccati_forward_backward, TTC_SOLVER_RICCATI, kCheckpoints, true)->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, symplectic_saved_forward_backward, TTC_SOLVER_SYMPLECTIC, kCheckpoints, true, true)
    ->Apply(sweep);
BENCHMARK_CAPTURE(LqrF32, symplectic_full_storage_saved_forward_backward, TTC_SOLVER_SYMPLECTIC, kFullStorage, true,
                  true)
    ->Apply(sweep);
