// A digest of every output bit of the library on fixed random problems: the explicit form (forward with and without
// the trajectory, gradients per head and summed over heads) and the discounted form (forward, gradients with B and Q
// shared by the heads or not), both solvers, f64 and f32, partial upstream gradients. It calls the C ABI only, so run
// against an older libttc.so (LD_LIBRARY_PATH) it shows whether a change kept the bits: docs/BENCHMARKS.md.
//   ttc_bits [--values FILE]
// --values also writes every output, a line each: "<f64|f32> <output|gradient> v1 v2 ..." or "status S". The test
// cpu_isas_agree (isas_agree.py) compares those of the two instruction sets of one library (TTC_CPU_ISA).
#include <cstdio>
#include <cstring>

#include "discounted_case.hpp"
#include "library_isa.hpp"

namespace {

using namespace ttc::test;

struct Digest {
    unsigned long long value = 1469598103934665603ull;  // FNV-1a over the outputs' 64-bit patterns
    std::FILE* values = nullptr;

    template <class R>
    void add(const Vec& v, bool gradient) {
        mix(v);
        if (values == nullptr) return;
        std::fprintf(values, "%s %s", sizeof(R) == 8 ? "f64" : "f32", gradient ? "gradient" : "output");
        for (double x : v) std::fprintf(values, " %.17g", x);
        std::fputc('\n', values);
    }
    void add(ttc_status s) {
        mix(Vec{static_cast<double>(s)});
        if (values != nullptr) std::fprintf(values, "status %d\n", static_cast<int>(s));
    }

private:
    void mix(const Vec& v) {
        for (double x : v) {
            unsigned long long bits;
            std::memcpy(&bits, &x, sizeof bits);
            value = (value ^ bits) * 1099511628211ull;
        }
    }
};

template <class R>
void explicit_outputs(Digest& h, const ExplicitCase& c, const Upstream& up, ttc_solver solver, bool sum_heads) {
    const Solution with = solve<R>(c, options_for(solver), true);
    const Solution without = solve<R>(c, options_for(solver), false);
    const Grads g = gradients<R>(c, up, options_for(solver), sum_heads);
    for (const Vec* v : {&with.u1, &with.u, &with.h, &with.lambda, &with.P0, &without.u1, &without.P0})
        h.add<R>(*v, false);
    for (const Vec* v : {&g.a, &g.B, &g.Q, &g.rho, &g.h0, &g.q, &g.r}) h.add<R>(*v, true);
    h.add(with.status), h.add(without.status), h.add(g.status);
}

template <class R>
void discounted_outputs(Digest& h, const DiscountedCase& c, const Upstream& up, ttc_solver solver) {
    const Solution with = solve<R>(c, options_for(solver), true);
    const Solution without = solve<R>(c, options_for(solver), false);
    const DiscountedGrads g = gradients<R>(c, up, options_for(solver));
    for (const Vec* v : {&with.u1, &with.u, &with.h, &with.lambda, &with.P0, &without.u1, &without.P0})
        h.add<R>(*v, false);
    for (const Vec* v : {&g.a, &g.lga, &g.B, &g.lgb, &g.Q, &g.lgq, &g.Qf, &g.rho, &g.h0}) h.add<R>(*v, true);
    h.add(with.status), h.add(without.status), h.add(g.status);
}

}  // namespace

int main(int argc, char** argv) {
    Digest explicit_form, discounted_form;
    std::FILE* values = nullptr;
    if (argc == 3 && std::strcmp(argv[1], "--values") == 0) {
        values = std::fopen(argv[2], "w");
        if (values == nullptr) {
            std::fprintf(stderr, "ttc_bits: cannot write %s\n", argv[2]);
            return 2;
        }
    } else if (argc != 1) {
        std::fprintf(stderr, "usage: ttc_bits [--values FILE]\n");
        return 2;
    }
    explicit_form.values = discounted_form.values = values;
    for (int seed = 0; seed < 40; ++seed) {
        Rng rng(seed);
        Draw d;
        d.N = rng.integer(1, 6), d.H = rng.integer(1, 5), d.T = rng.integer(1, 40);
        d.n = rng.integer(1, 17), d.m = rng.integer(1, 17);
        d.linear = rng.integer(0, 1) == 1, d.broadcast_BQ = rng.integer(0, 1) == 1;
        if (seed % 3 == 0) d.a_lo = 0.2, d.a_hi = 1.8;
        const ExplicitCase e = random_explicit(rng, d);
        const Upstream eu = random_upstream(rng, e, rng.integer(0, d.T), rng.integer(0, d.T));
        const DiscountedCase c = random_discounted(rng, d.N, d.H, d.T, d.n, d.m, d.broadcast_BQ);
        const Upstream cu = random_upstream(rng, c, rng.integer(0, d.T), rng.integer(0, d.T));
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            explicit_outputs<double>(explicit_form, e, eu, solver, seed % 2 == 1);
            explicit_outputs<float>(explicit_form, e, eu, solver, seed % 2 == 1);
            discounted_outputs<double>(discounted_form, c, cu, solver);
            discounted_outputs<float>(discounted_form, c, cu, solver);
        }
    }
    std::printf("instruction set: %s\nexplicit form:   %016llx\ndiscounted form: %016llx\n", library_isa(),
                explicit_form.value, discounted_form.value);
    if (values != nullptr && std::fclose(values) != 0) {
        std::fprintf(stderr, "ttc_bits: writing the values failed\n");
        return 2;
    }
    return 0;
}
