// The discounted forward without a trajectory solves its problems several at a time in the batch-SIMD layout
// (cpu/lanes.hpp). Each lane must give the bits of the one-problem solve, which a trajectory request still uses, and
// a group that cannot be solved in lanes (a small |a| that takes Riccati, a failure) must behave exactly as before.
#include <gtest/gtest.h>

#include <string>

#include "discounted_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

// u_1 and P_0 solved in lanes (no trajectory) and one problem at a time (with a trajectory).
template <class R>
void expect_lanes_match_one_at_a_time(const DiscountedCase& c, const char* what) {
    const ttc_options o = options_for(TTC_SOLVER_SYMPLECTIC);
    const Solution lanes = solve<R>(c, o, false);
    ASSERT_EQ(lanes.status, TTC_STATUS_OK) << what << ": " << ttc_last_error();
    const Solution single = solve<R>(c, o, true);
    ASSERT_EQ(single.status, TTC_STATUS_OK) << what << ": " << ttc_last_error();
    EXPECT_EQ(lanes.u1, single.u1) << what;
    EXPECT_EQ(lanes.P0, single.P0) << what;
}

// Problem counts from 1 to 20 cover whole groups of 4 (f64) and 8 (f32), and the problems left over.
TEST(BatchLanes, EachLaneHasTheBitsOfTheOneProblemSolve) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        const DiscountedCase c = random_discounted(rng, rng.integer(1, 4), rng.integer(1, 5), rng.integer(1, 40),
                                                   rng.integer(1, 12), rng.integer(1, 12), rng.integer(0, 1) == 1);
        expect_lanes_match_one_at_a_time<double>(c, "f64");
        expect_lanes_match_one_at_a_time<float>(c, "f32");
    });
}

TEST(BatchLanes, AProblemWithSmallAInAGroupTakesRiccatiAlone) {
    for_each_seed(4, [](std::uint64_t seed) {
        Rng rng(seed);
        DiscountedCase c = random_discounted(rng, 16, 1, 48, 5, 3, false);
        const std::int64_t b = rng.integer(0, 15);
        std::fill(c.a.begin() + b * c.n, c.a.begin() + (b + 1) * c.n, 0.0);
        c.a[b * c.n + rng.integer(0, c.n - 1)] = -1.0;
        c.lga[b] = -1e-9;  // |(A_t)_ii| = 1 - gamma^t < tau: solved by Riccati (DESIGN.md §3.2)
        expect_lanes_match_one_at_a_time<double>(c, "f64");
        const Solution lanes = solve<double>(c, options_for(TTC_SOLVER_SYMPLECTIC), false);
        const Solution riccati = solve<double>(c, options_for(TTC_SOLVER_RICCATI), false);
        const std::size_t m = static_cast<std::size_t>(c.m);
        const Vec mine(lanes.u1.begin() + b * m, lanes.u1.begin() + (b + 1) * m);
        EXPECT_EQ(mine, Vec(riccati.u1.begin() + b * m, riccati.u1.begin() + (b + 1) * m));
    });
}

TEST(BatchLanes, AFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(5);
    DiscountedCase c = random_discounted(rng, 8, 1, 12, 4, 4, false);
    const std::int64_t bad = 5, n = c.n;
    for (std::int64_t e = 0; e < n * n; ++e) c.Qf[bad * n * n + e] *= 1e30;  // |Q_T|^2 overflows f32
    const ttc_options o = options_for(TTC_SOLVER_SYMPLECTIC);
    const Solution lanes = solve<float>(c, o, false);
    const std::string lanes_error = ttc_last_error();
    const Solution single = solve<float>(c, o, true);
    const std::string single_error = ttc_last_error();
    EXPECT_EQ(lanes.status, TTC_STATUS_ILL_CONDITIONED) << lanes_error;
    EXPECT_EQ(lanes.status, single.status);
    EXPECT_EQ(lanes_error, single_error);
    EXPECT_NE(lanes_error.find("problem 5"), std::string::npos) << lanes_error;
    for (std::int64_t b = 0; b < bad; ++b)  // the problems before the failure are solved
        for (std::int64_t j = 0; j < c.m; ++j) EXPECT_EQ(lanes.u1[b * c.m + j], single.u1[b * c.m + j]);
}

}  // namespace
}  // namespace ttc::test
