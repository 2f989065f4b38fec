// Edge cases: T = 0, T = 1, n = m = 1, and the small-|a| policy (DESIGN.md §3.2): a problem whose
// min |(A_t)_ii| < TTC_SMALL_A_TAU_* is solved by the Riccati solver.
#include <gtest/gtest.h>

#include "discounted_case.hpp"
#include "kkt_reference.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

TEST(EdgeCases, ZeroHorizonGivesZeroControlAndGradients) {
    Rng rng(1);
    Draw d;
    d.T = 0, d.n = 3, d.m = 2, d.N = 2, d.H = 2;
    const ExplicitCase c = random_explicit(rng, d);
    for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
        const Solution s = solve(c, options_for(solver));
        ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
        EXPECT_EQ(s.u1, Vec(4 * 2, 0.0));
        EXPECT_EQ(s.h, c.h0);
        EXPECT_EQ(s.lambda, Vec(4 * 3, 0.0));
        EXPECT_EQ(s.P0, Vec(4 * 9, 0.0));
        const Grads g = gradients(c, random_upstream(rng, c, 0, 0), options_for(solver));
        ASSERT_EQ(g.status, TTC_STATUS_OK) << ttc_last_error();
        EXPECT_EQ(g.h0, Vec(4 * 3, 0.0));
        EXPECT_TRUE(g.a.empty());
    }
    const DiscountedCase dc = random_discounted(rng, 1, 2, 0, 3, 2, true);
    const Solution s = solve<double>(dc, options_for(TTC_SOLVER_SYMPLECTIC));
    ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
    EXPECT_EQ(s.u1, Vec(2 * 2, 0.0));
    const DiscountedGrads g = gradients<double>(dc, random_upstream(rng, dc, 0, 0), options_for(TTC_SOLVER_SYMPLECTIC));
    ASSERT_EQ(g.status, TTC_STATUS_OK) << ttc_last_error();
    EXPECT_EQ(g.Qf, Vec(2 * 9, 0.0));
    EXPECT_EQ(g.lga, Vec(2, 0.0));
}

void expect_kkt(const ExplicitCase& c, ttc_solver solver, double tol) {
    const Solution s = solve(c, options_for(solver));
    ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
    const KktSolution ref = KktReference(extract(c, 0)).solve();
    EXPECT_LE(rel_error(s.u1, ref.u1), tol);
    EXPECT_LE(rel_error(s.h, ref.h), tol);
    EXPECT_LE(rel_error(s.lambda, ref.lambda), tol);
    EXPECT_LE(rel_error(s.P0, ref.P0), tol);
}

TEST(EdgeCases, OneStepAndScalarProblems) {
    for_each_seed(10, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw one_step;
        one_step.T = 1, one_step.n = rng.integer(1, 6), one_step.m = rng.integer(1, 6);
        Draw scalar;
        scalar.T = rng.integer(1, 64), scalar.n = 1, scalar.m = 1, scalar.a_lo = 0.2, scalar.a_hi = 1.8;
        for (const Draw& d : {one_step, scalar}) {
            const ExplicitCase c = random_explicit(rng, d);
            expect_kkt(c, TTC_SOLVER_SYMPLECTIC, 1e-10);
            expect_kkt(c, TTC_SOLVER_RICCATI, 1e-10);
        }
    });
}

ExplicitCase with_small_a(std::uint64_t seed, double small) {
    Rng rng(seed);
    Draw d;
    d.T = 24, d.n = 5, d.m = 3;
    ExplicitCase c = random_explicit(rng, d);
    c.a[rng.integer(0, static_cast<std::int64_t>(c.a.size()) - 1)] = rng.sign() * small;
    return c;
}

// Below tau the symplectic solver hands the problem to Riccati: the result is bitwise Riccati's and matches KKT.
TEST(EdgeCases, SmallAFallsBackToRiccati) {
    for (double small : {1e-6, 1e-12}) {
        for_each_seed(4, [&](std::uint64_t seed) {
            const ExplicitCase c = with_small_a(seed, small);
            const Solution s = solve(c, options_for(TTC_SOLVER_SYMPLECTIC));
            const Solution r = solve(c, options_for(TTC_SOLVER_RICCATI));
            ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
            EXPECT_EQ(s.u1, r.u1) << "min|a| = " << small;
            EXPECT_EQ(s.h, r.h) << "min|a| = " << small;
            expect_kkt(c, TTC_SOLVER_SYMPLECTIC, 1e-10);
            Rng rng(seed);
            const Upstream up = random_upstream(rng, c, 3, 3);
            const Grads gs = gradients(c, up, options_for(TTC_SOLVER_SYMPLECTIC));
            const Grads gr = gradients(c, up, options_for(TTC_SOLVER_RICCATI));
            EXPECT_EQ(gs.a, gr.a);
            EXPECT_LE(rel_error(gs.B, KktReference(extract(c, 0)).gradients(up, 0).B), 1e-9);
        });
    }
}

// Just above tau the symplectic sweep runs itself and still meets the f64 tolerance.
TEST(EdgeCases, SmallAJustAboveThresholdStaysAccurate) {
    for_each_seed(4, [](std::uint64_t seed) {
        const ExplicitCase c = with_small_a(seed, 1.5 * TTC_SMALL_A_TAU_F64);
        const Solution s = solve(c, options_for(TTC_SOLVER_SYMPLECTIC));
        const Solution r = solve(c, options_for(TTC_SOLVER_RICCATI));
        ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
        EXPECT_NE(s.h, r.h) << "expected the symplectic path, not the fallback";
        EXPECT_LE(rel_error(s.u, r.u), 1e-10);
        EXPECT_LE(rel_error(s.h, r.h), 1e-10);
        EXPECT_LE(rel_error(s.P0, r.P0), 1e-10);
    });
}

TEST(EdgeCases, SmallAInFloat32MeetsTolerance) {
    for (double small : {0.5 * TTC_SMALL_A_TAU_F32, 1.5 * TTC_SMALL_A_TAU_F32}) {
        for_each_seed(4, [&](std::uint64_t seed) {
            ExplicitCase c = with_small_a(seed, small);
            for (Vec* v : {&c.a, &c.B, &c.Q, &c.rho, &c.h0, &c.q, &c.r})
                for (auto& x : *v) x = static_cast<float>(x);
            const Solution f = solve<float>(c, options_for(TTC_SOLVER_SYMPLECTIC));
            const Solution d = solve<double>(c, options_for(TTC_SOLVER_RICCATI));
            ASSERT_EQ(f.status, TTC_STATUS_OK) << ttc_last_error();
            EXPECT_LE(rel_error(f.u, d.u), 1e-4) << "min|a| = " << small;
            EXPECT_LE(rel_error(f.h, d.h), 1e-4) << "min|a| = " << small;
            EXPECT_LE(rel_error(f.P0, d.P0), 1e-4) << "min|a| = " << small;
        });
    }
}

}  // namespace
}  // namespace ttc::test
