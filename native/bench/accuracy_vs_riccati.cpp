// Worst error of the symplectic solver against the f64 Riccati reference (DESIGN.md §0's measure), in f64 and in f32,
// over random explicit problems with linear terms, every output requested (u_1, u, h, P_0), inputs rounded to f32 so
// that both precisions solve the same problem. It measures the library it is run against, through the C ABI only, so
// it also measures an older build of libttc.so (LD_LIBRARY_PATH): docs/BENCHMARKS.md compares re-orthonormalisation
// schemes that way.
#include <algorithm>
#include <cstdio>

#include "../tests/lqr_case.hpp"

namespace {

using namespace ttc::test;

struct Regime {
    const char* name;
    double a_lo, a_hi;
    std::int64_t n, m_even, m_odd;  // m alternates between seeds
};

void round_to_float(ExplicitCase& c) {
    for (Vec* v : {&c.a, &c.B, &c.Q, &c.rho, &c.h0, &c.q, &c.r})
        for (double& x : *v) x = static_cast<double>(static_cast<float>(x));
}

double worst_error(const Solution& x, const Solution& reference) {
    double e = 0;
    for (Vec Solution::*output : {&Solution::u1, &Solution::u, &Solution::h, &Solution::P0})
        e = std::max(e, rel_error(x.*output, reference.*output));
    return e;
}

}  // namespace

int main() {
    constexpr std::uint64_t kSeeds = 12;
    const Regime regimes[] = {
        {"|a| in [0.75, 1.25], n = 16", 0.75, 1.25, 16, 16, 6},
        {"|a| in [0.2, 1.8], n = 16", 0.2, 1.8, 16, 16, 6},
        {"|a| in [0.05, 4], n = 16", 0.05, 4.0, 16, 16, 6},
        {"|a| in [0.01, 2.5], n = 32, m = 2", 0.01, 2.5, 32, 2, 2},
    };
    std::printf("worst error against f64 Riccati over %llu problems (ttc_version %s)\n",
                static_cast<unsigned long long>(kSeeds), ttc_version());
    std::printf("%-36s %6s %10s %10s %9s\n", "regime", "T", "f64", "f32", "failures");
    for (const Regime& g : regimes)
        for (std::int64_t T : {16, 256, 1024}) {
            double e64 = 0, e32 = 0;
            int failures = 0;
            for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
                Rng rng(seed * 7919 + static_cast<std::uint64_t>(T));
                Draw d;
                d.T = T, d.n = g.n, d.m = seed % 2 ? g.m_odd : g.m_even;
                d.a_lo = g.a_lo, d.a_hi = g.a_hi;
                ExplicitCase c = random_explicit(rng, d);
                round_to_float(c);
                const Solution reference = solve<double>(c, options_for(TTC_SOLVER_RICCATI));
                const Solution s64 = solve<double>(c, options_for(TTC_SOLVER_SYMPLECTIC));
                const Solution s32 = solve<float>(c, options_for(TTC_SOLVER_SYMPLECTIC));
                if (reference.status != TTC_STATUS_OK || s64.status != TTC_STATUS_OK || s32.status != TTC_STATUS_OK) {
                    ++failures;
                    continue;
                }
                e64 = std::max(e64, worst_error(s64, reference));
                e32 = std::max(e32, worst_error(s32, reference));
            }
            std::printf("%-36s %6lld %10.2e %10.2e %9d\n", g.name, static_cast<long long>(T), e64, e32, failures);
        }
    return 0;
}
