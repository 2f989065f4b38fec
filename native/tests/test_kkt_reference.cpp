// Both solvers against the independent dense-KKT reference (DESIGN.md §4 tests): forward 1e-10, gradients 1e-9.
#include <gtest/gtest.h>

#include "kkt_reference.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

void expect_matches_kkt(const ExplicitCase& c, const Upstream& up, ttc_solver solver) {
    const Solution sol = solve(c, options_for(solver));
    ASSERT_EQ(sol.status, TTC_STATUS_OK) << ttc_last_error();
    const Grads g = gradients(c, up, options_for(solver));
    ASSERT_EQ(g.status, TTC_STATUS_OK) << ttc_last_error();
    const auto& s = c.shape;
    for (std::int64_t b = 0; b < c.problems(); ++b) {
        const OneProblem one = extract(c, b);
        const KktReference kkt(one);
        const KktSolution ref = kkt.solve();
        auto part = [](const Vec& v, std::int64_t i, std::int64_t len) {
            return Vec(v.begin() + i * len, v.begin() + (i + 1) * len);
        };
        EXPECT_LE(rel_error(part(sol.u1, b, s.m), ref.u1), 1e-10) << "u1";
        EXPECT_LE(rel_error(part(sol.u, b, s.T * s.m), ref.u), 1e-10) << "u";
        EXPECT_LE(rel_error(part(sol.h, b, (s.T + 1) * s.n), ref.h), 1e-10) << "h";
        EXPECT_LE(rel_error(part(sol.lambda, b, (s.T + 1) * s.n), ref.lambda), 1e-10) << "lambda";
        EXPECT_LE(rel_error(part(sol.P0, b, s.n * s.n), ref.P0), 1e-10) << "P0";
        const OneProblem gref = kkt.gradients(up, b);
        EXPECT_LE(rel_error(part(g.a, b, s.T * s.n), gref.a), 1e-9) << "grad a";
        EXPECT_LE(rel_error(part(g.B, b, s.T * s.n * s.m), gref.B), 1e-9) << "grad B";
        EXPECT_LE(rel_error(part(g.Q, b, s.T * s.n * s.n), gref.Q), 1e-9) << "grad Q";
        EXPECT_LE(rel_error(part(g.rho, b, s.T * s.m), gref.rho), 1e-9) << "grad rho";
        EXPECT_LE(rel_error(part(g.h0, b, s.n), gref.h0), 1e-9) << "grad h0";
        EXPECT_LE(rel_error(part(g.q, b, s.T * s.n), gref.q), 1e-9) << "grad q";
        EXPECT_LE(rel_error(part(g.r, b, s.T * s.m), gref.r), 1e-9) << "grad r";
    }
}

Draw small_draw(Rng& rng, bool wide_a) {
    Draw d;
    d.n = rng.integer(1, 8);
    d.m = rng.integer(1, 8);
    d.T = rng.integer(1, 24);
    d.N = rng.integer(1, 2);
    d.H = rng.integer(1, 2);
    d.linear = rng.integer(0, 1) == 1;
    if (wide_a) d.a_lo = 0.2, d.a_hi = 1.8;
    return d;
}

TEST(KktReference, SymplecticMatchesDenseKkt) {
    for_each_seed(40, [](std::uint64_t seed) {
        Rng rng(seed);
        const ExplicitCase c = random_explicit(rng, small_draw(rng, seed % 2 == 1));
        const Upstream up = random_upstream(rng, c, rng.integer(0, c.shape.T), rng.integer(0, c.shape.T));
        expect_matches_kkt(c, up, TTC_SOLVER_SYMPLECTIC);
    });
}

TEST(KktReference, RiccatiMatchesDenseKkt) {
    for_each_seed(40, [](std::uint64_t seed) {
        Rng rng(seed);
        const ExplicitCase c = random_explicit(rng, small_draw(rng, seed % 2 == 0));
        const Upstream up = random_upstream(rng, c, rng.integer(0, c.shape.T), rng.integer(0, c.shape.T));
        expect_matches_kkt(c, up, TTC_SOLVER_RICCATI);
    });
}

// The largest systems the design asks for: T(2n + m) close to 2000.
TEST(KktReference, LargeSystemsMatchDenseKkt) {
    for_each_seed(2, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = 12 + 4 * static_cast<std::int64_t>(seed % 2);
        d.m = 20 - d.n / 2;
        d.T = 2000 / (2 * d.n + d.m);
        d.a_lo = 0.2, d.a_hi = 1.8;
        const ExplicitCase c = random_explicit(rng, d);
        const Upstream up = random_upstream(rng, c, d.T, d.T);
        expect_matches_kkt(c, up, TTC_SOLVER_SYMPLECTIC);
        expect_matches_kkt(c, up, TTC_SOLVER_RICCATI);
    });
}

}  // namespace
}  // namespace ttc::test
