// f32 against f64 at DESIGN.md §0's tolerances: 1e-4 for u, h and P_0 and 1e-3 for gradients up to T = 1024 in the
// explicit and the discounted regime, and 1e-4 on u_1 at T = 4096 with no overflow. The f64 reference solves the
// same inputs rounded to f32.
#include <gtest/gtest.h>

#include "discounted_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

void round_to_float(Vec& v) {
    for (auto& x : v) x = static_cast<double>(static_cast<float>(x));
}

void round_to_float(ExplicitCase& c) {
    for (Vec* v : {&c.a, &c.B, &c.Q, &c.rho, &c.h0, &c.q, &c.r}) round_to_float(*v);
}

void round_to_float(DiscountedCase& c) {
    for (Vec* v : {&c.a, &c.lga, &c.B, &c.lgb, &c.Q, &c.lgq, &c.Qf, &c.rho, &c.h0}) round_to_float(*v);
}

void expect_close(const Solution& f, const Solution& d, bool trajectory) {
    ASSERT_EQ(f.status, TTC_STATUS_OK) << ttc_last_error();
    ASSERT_EQ(d.status, TTC_STATUS_OK) << ttc_last_error();
    EXPECT_LE(rel_error(f.u1, d.u1), 1e-4) << "u1";
    EXPECT_LE(rel_error(f.P0, d.P0), 1e-4) << "P0";
    if (!trajectory) return;
    EXPECT_LE(rel_error(f.u, d.u), 1e-4) << "u";
    EXPECT_LE(rel_error(f.h, d.h), 1e-4) << "h";
}

struct Float32Case {
    std::int64_t T;
    bool wide_a;
};

void PrintTo(const Float32Case& c, std::ostream* os) { *os << "T=" << c.T << (c.wide_a ? " |a| in [0.2, 1.8]" : " |a| in [0.75, 1.25]"); }

class Float32Explicit : public ::testing::TestWithParam<Float32Case> {};

TEST_P(Float32Explicit, MatchesFloat64) {
    const Float32Case param = GetParam();
    for_each_seed(2, [&](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = 8 + 8 * static_cast<std::int64_t>(seed % 2);
        d.m = 6;
        d.T = param.T;
        if (param.wide_a) d.a_lo = 0.2, d.a_hi = 1.8;
        ExplicitCase c = random_explicit(rng, d);
        round_to_float(c);
        Upstream up = random_upstream(rng, c, 1, std::min<std::int64_t>(param.T, 4));
        round_to_float(up.gu);
        round_to_float(up.gh);
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            expect_close(solve<float>(c, options_for(solver)), solve<double>(c, options_for(solver)), true);
            const Grads f = gradients<float>(c, up, options_for(solver));
            const Grads g = gradients<double>(c, up, options_for(solver));
            ASSERT_EQ(f.status, TTC_STATUS_OK) << ttc_last_error();
            expect_grads_close(f, g, 1e-3);
        }
    });
}

INSTANTIATE_TEST_SUITE_P(Horizons, Float32Explicit,
                         ::testing::Values(Float32Case{16, false}, Float32Case{256, false}, Float32Case{1024, false},
                                           Float32Case{16, true}, Float32Case{256, true}, Float32Case{1024, true}),
                         [](const ::testing::TestParamInfo<Float32Case>& param_info) {
                             return "T" + std::to_string(param_info.param.T) + (param_info.param.wide_a ? "_WideA" : "_NarrowA");
                         });

class Float32Discounted : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(Float32Discounted, MatchesFloat64) {
    const std::int64_t T = GetParam();
    for_each_seed(2, [&](std::uint64_t seed) {
        Rng rng(seed);
        DiscountedCase c = random_discounted(rng, 2, 2, T, 16, 8, true, seed % 2 ? 0.05 : 1.328);
        round_to_float(c);
        Upstream up = random_upstream(rng, c, 1, 0);
        round_to_float(up.gu);
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            expect_close(solve<float>(c, options_for(solver)), solve<double>(c, options_for(solver)), true);
            const DiscountedGrads f = gradients<float>(c, up, options_for(solver));
            const DiscountedGrads g = gradients<double>(c, up, options_for(solver));
            ASSERT_EQ(f.status, TTC_STATUS_OK) << ttc_last_error();
            expect_grads_close(f, g, 1e-3);
        }
    });
}

INSTANTIATE_TEST_SUITE_P(Horizons, Float32Discounted, ::testing::Values(16, 256, 1024),
                         [](const ::testing::TestParamInfo<std::int64_t>& param_info) {
                             return "T" + std::to_string(param_info.param);
                         });

TEST(Float32, LongHorizonFirstControl) {
    for_each_seed(2, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = 8, d.m = 4, d.T = 4096;
        if (seed % 2) d.a_lo = 0.2, d.a_hi = 1.8;
        ExplicitCase c = random_explicit(rng, d);
        round_to_float(c);
        expect_close(solve<float>(c, options_for(TTC_SOLVER_SYMPLECTIC), false),
                     solve<double>(c, options_for(TTC_SOLVER_SYMPLECTIC), false), false);
        DiscountedCase dc = random_discounted(rng, 1, 2, 4096, 16, 16, false, 1.328);
        round_to_float(dc);
        expect_close(solve<float>(dc, options_for(TTC_SOLVER_SYMPLECTIC), false),
                     solve<double>(dc, options_for(TTC_SOLVER_SYMPLECTIC), false), false);
    });
}

}  // namespace
}  // namespace ttc::test
