// The discounted form (E3) equals the explicit form after expansion: forward and gradients, with B and Q broadcast
// over heads (stride 0) and their gradients summed over heads.
#include <gtest/gtest.h>

#include "discounted_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

// Chains explicit per-step gradients through E3 (written here independently of the library).
DiscountedGrads chain_through_e3(const DiscountedCase& d, const Grads& g) {
    const std::int64_t T = d.T, n = d.n, m = d.m, P = d.problems();
    DiscountedGrads out;
    out.a.assign(P * n, 0), out.lga.assign(P, 0), out.lgb.assign(P * m, 0), out.lgq.assign(P * n, 0);
    out.Qf.assign(P * n * n, 0), out.rho.assign(P * m, 0), out.h0 = g.h0;
    const std::int64_t PBQ = d.broadcast_BQ ? d.N : P;
    out.B.assign(PBQ * n * m, 0), out.Q.assign(PBQ * n * n, 0);
    for (std::int64_t b = 0; b < P; ++b) {
        const std::int64_t bq = d.bq(b);
        for (std::int64_t t = 1; t <= T; ++t) {
            const std::int64_t k = b * T + (t - 1);
            const double ga = std::exp(t * d.lga[b]);
            for (std::int64_t i = 0; i < n; ++i) {
                out.a[b * n + i] += ga * g.a[k * n + i];
                out.lga[b] += t * ga * g.a[k * n + i] * d.a[b * n + i];
            }
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t j = 0; j < m; ++j) {
                    const double gb = std::exp(t * d.lgb[b * m + j]), G = g.B[(k * n + i) * m + j];
                    out.B[(bq * n + i) * m + j] += gb * G;
                    out.lgb[b * m + j] += t * gb * G * d.B[(bq * n + i) * m + j];
                }
            for (std::int64_t j = 0; j < m; ++j) out.rho[b * m + j] += g.rho[k * m + j];
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t j = 0; j < n; ++j) {
                    const double G = g.Q[(k * n + i) * n + j];
                    if (t == T) {
                        out.Qf[(b * n + i) * n + j] += G;
                        continue;
                    }
                    const double w = std::exp(t * (d.lgq[b * n + i] + d.lgq[b * n + j]));
                    const double Qs = 0.5 * (d.Q[(bq * n + i) * n + j] + d.Q[(bq * n + j) * n + i]);
                    out.Q[(bq * n + i) * n + j] += w * G;
                    out.lgq[b * n + i] += t * w * G * Qs;  // d/dl_i of w_ij, from the row index
                    out.lgq[b * n + j] += t * w * G * Qs;  // and from the column index
                }
        }
    }
    return out;
}

DiscountedCase draw(Rng& rng, bool broadcast) {
    return random_discounted(rng, rng.integer(1, 3), broadcast ? 3 : rng.integer(1, 2), rng.integer(0, 48),
                             rng.integer(1, 10), rng.integer(1, 10), broadcast);
}

TEST(Discounted, ForwardEqualsExplicitExpansion) {
    for_each_seed(20, [](std::uint64_t seed) {
        Rng rng(seed);
        const DiscountedCase d = draw(rng, seed % 2 == 0);
        const ExplicitCase e = expand(d);
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            const Solution x = solve<double>(d, options_for(solver));
            const Solution y = solve(e, options_for(solver));
            ASSERT_EQ(x.status, TTC_STATUS_OK) << ttc_last_error();
            ASSERT_EQ(y.status, TTC_STATUS_OK) << ttc_last_error();
            EXPECT_LE(rel_error(x.u1, y.u1), 1e-10);
            EXPECT_LE(rel_error(x.u, y.u), 1e-10);
            EXPECT_LE(rel_error(x.h, y.h), 1e-10);
            EXPECT_LE(rel_error(x.lambda, y.lambda), 1e-10);
            EXPECT_LE(rel_error(x.P0, y.P0), 1e-10);
        }
    });
}

TEST(Discounted, GradientsEqualChainedExplicitGradients) {
    for_each_seed(20, [](std::uint64_t seed) {
        Rng rng(seed);
        const DiscountedCase d = draw(rng, seed % 2 == 1);
        const ExplicitCase e = expand(d);
        const Upstream up = random_upstream(rng, d, rng.integer(0, d.T), rng.integer(0, d.T));
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            const DiscountedGrads x = gradients<double>(d, up, options_for(solver));
            const Grads g = gradients(e, up, options_for(solver));
            ASSERT_EQ(x.status, TTC_STATUS_OK) << ttc_last_error();
            ASSERT_EQ(g.status, TTC_STATUS_OK) << ttc_last_error();
            const DiscountedGrads y = chain_through_e3(d, g);
            expect_grads_close(x, y, 1e-9);
        }
    });
}

// gamma_A -> 1 with a = -e_i: (A_t)_ii = 1 - gamma^t is tiny at small t, the small-|a| fallback's regime.
TEST(Discounted, GammaNearOneWithNegativeUnitA) {
    for_each_seed(6, [](std::uint64_t seed) {
        Rng rng(seed);
        DiscountedCase d = random_discounted(rng, 1, 1, 64, 6, 4, false);
        std::fill(d.a.begin(), d.a.end(), 0.0);
        d.a[rng.integer(0, d.n - 1)] = -1.0;
        d.lga[0] = -1e-7;
        const ExplicitCase e = expand(d);
        const Solution x = solve<double>(d, options_for(TTC_SOLVER_SYMPLECTIC));
        const Solution y = solve(e, options_for(TTC_SOLVER_RICCATI));
        ASSERT_EQ(x.status, TTC_STATUS_OK) << ttc_last_error();
        ASSERT_EQ(y.status, TTC_STATUS_OK) << ttc_last_error();
        EXPECT_LE(rel_error(x.u, y.u), 1e-10);
        EXPECT_LE(rel_error(x.h, y.h), 1e-10);
    });
}

}  // namespace
}  // namespace ttc::test
