// The discounted forward and backward solve their problems several at a time in the batch-SIMD layout
// (cpu/lanes.hpp), with either solver. Each lane must give the bits of the one-problem solve (a batch smaller than a
// group still uses it), and a group that cannot be solved in lanes (a small |a| that the symplectic solver hands to
// Riccati, a failure) must behave exactly as before.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "discounted_case.hpp"
#include "one_call_per_problem.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

// Problem b of c alone: N = H = 1, with its own B and Q.
DiscountedCase only_problem(const DiscountedCase& c, std::int64_t b) {
    DiscountedCase one = c;
    one.N = 1, one.H = 1, one.broadcast_BQ = false;
    auto part = [&](const Vec& v, std::int64_t k, std::int64_t size) {
        return Vec(v.begin() + k * size, v.begin() + (k + 1) * size);
    };
    const std::int64_t n = c.n, m = c.m;
    one.a = part(c.a, b, n), one.lga = part(c.lga, b, 1), one.B = part(c.B, c.bq(b), n * m);
    one.lgb = part(c.lgb, b, m), one.Q = part(c.Q, c.bq(b), n * n), one.lgq = part(c.lgq, b, n);
    one.Qf = part(c.Qf, b, n * n), one.rho = part(c.rho, b, m), one.h0 = part(c.h0, b, n);
    return one;
}

Upstream only_problem(const Upstream& up, const DiscountedCase& c, std::int64_t b) {
    return upstream_of_problem(up, c.n, c.m, b);
}

// The forward of c's problems solved one call each (a batch of one never fills a group), laid out as one batch.
template <class R>
Solution one_call_per_problem(const DiscountedCase& c, const ttc_options& o, bool trajectory) {
    Solution all;
    for (std::int64_t b = 0; b < c.problems(); ++b) {
        const Solution one = solve<R>(only_problem(c, b), o, trajectory);
        EXPECT_EQ(one.status, TTC_STATUS_OK) << "problem " << b << ": " << ttc_last_error();
        append_solution(all, one);
    }
    return all;
}

template <class R>
void expect_lanes_match_one_call_per_problem(const DiscountedCase& c, bool trajectory, const std::string& what,
                                             ttc_solver solver = TTC_SOLVER_SYMPLECTIC) {
    const ttc_options o = options_for(solver);
    const Solution lanes = solve<R>(c, o, trajectory);
    ASSERT_EQ(lanes.status, TTC_STATUS_OK) << what << ": " << ttc_last_error();
    const Solution single = one_call_per_problem<R>(c, o, trajectory);
    EXPECT_EQ(lanes.u1, single.u1) << what;
    EXPECT_EQ(lanes.P0, single.P0) << what;
    EXPECT_EQ(lanes.u, single.u) << what;
    EXPECT_EQ(lanes.h, single.h) << what;
    EXPECT_EQ(lanes.lambda, single.lambda) << what;
}

// Problem counts from 1 to 20 cover whole groups of 4 (f64) and 8 (f32), and the problems left over; u_1 and P_0
// alone (inference), and with the trajectory; both solvers.
TEST(BatchLanes, EachLaneHasTheBitsOfTheOneProblemSolve) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        const DiscountedCase c = random_discounted(rng, rng.integer(1, 4), rng.integer(1, 5), rng.integer(1, 40),
                                                   rng.integer(1, 12), rng.integer(1, 12), rng.integer(0, 1) == 1);
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI})
            for (bool trajectory : {false, true}) {
                const std::string what = std::string(solver_name(solver)) + (trajectory ? ", trajectory" : "");
                expect_lanes_match_one_call_per_problem<double>(c, trajectory, "f64, " + what, solver);
                expect_lanes_match_one_call_per_problem<float>(c, trajectory, "f32, " + what, solver);
            }
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
        expect_lanes_match_one_call_per_problem<double>(c, true, "f64");
        const Solution lanes = solve<double>(c, options_for(TTC_SOLVER_SYMPLECTIC), false);
        const Solution riccati = solve<double>(c, options_for(TTC_SOLVER_RICCATI), false);
        const std::size_t m = static_cast<std::size_t>(c.m);
        const Vec mine(lanes.u1.begin() + b * m, lanes.u1.begin() + (b + 1) * m);
        EXPECT_EQ(mine, Vec(riccati.u1.begin() + b * m, riccati.u1.begin() + (b + 1) * m));
    });
}

// Problem `bad` of c fails in f32; the batched forward must report it as that problem's own forward does.
void expect_forward_failure_reported_as_alone(const DiscountedCase& c, std::int64_t bad, bool trajectory,
                                              ttc_solver solver = TTC_SOLVER_SYMPLECTIC,
                                              ttc_status expected = TTC_STATUS_ILL_CONDITIONED) {
    const ttc_options o = options_for(solver);
    const Solution lanes = solve<float>(c, o, trajectory);
    const Outcome batched = outcome_of(lanes.status);
    expect_failure_of_problem(batched, outcome_of(solve<float>(only_problem(c, bad), o, trajectory).status), bad,
                              expected);
    const std::int64_t before = bad - 1, m = c.m;  // a problem before the failure, in the same group: solved
    const Solution solved = solve<float>(only_problem(c, before), o, trajectory);
    EXPECT_EQ(Vec(lanes.u1.begin() + before * m, lanes.u1.begin() + (before + 1) * m), solved.u1);
}

TEST(BatchLanes, ASolveFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(5);
    DiscountedCase c = random_discounted(rng, 8, 1, 12, 4, 4, false);
    const std::int64_t bad = 5, n = c.n;
    for (std::int64_t e = 0; e < n * n; ++e) c.Qf[bad * n * n + e] *= 1e30;  // |Q_T|^2 overflows f32
    for (bool trajectory : {false, true}) expect_forward_failure_reported_as_alone(c, bad, trajectory);
}

// A negative definite terminal cost: S_T = R + B' Q_T B is not positive definite, and Riccati reports NOT_CONVEX.
TEST(BatchLanes, ARiccatiFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(8);
    DiscountedCase c = random_discounted(rng, 8, 1, 12, 4, 4, false);
    const std::int64_t bad = 6, n = c.n;
    for (std::int64_t e = 0; e < n * n; ++e) c.Qf[bad * n * n + e] = e % (n + 1) == 0 ? -1e6 : 0.0;
    for (bool trajectory : {false, true})
        expect_forward_failure_reported_as_alone(c, bad, trajectory, TTC_SOLVER_RICCATI, TTC_STATUS_NOT_CONVEX);
}

// The sweep does not see h_0, so this solve succeeds with outputs that overflow.
TEST(BatchLanes, ANonFiniteOutputInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(7);
    DiscountedCase c = random_discounted(rng, 16, 1, 12, 4, 4, false);
    const std::int64_t bad = 10;
    for (std::int64_t i = 0; i < c.n; ++i) c.h0[bad * c.n + i] = 3e38;
    for (bool trajectory : {false, true}) {
        expect_forward_failure_reported_as_alone(c, bad, trajectory);
        // Riccati fails here only with the trajectory; either way the batch does what the problem alone does.
        const ttc_options o = options_for(TTC_SOLVER_RICCATI);
        const ttc_status alone = solve<float>(only_problem(c, bad), o, trajectory).status;
        EXPECT_EQ(alone, trajectory ? TTC_STATUS_ILL_CONDITIONED : TTC_STATUS_OK);
        if (alone == TTC_STATUS_OK)
            expect_lanes_match_one_call_per_problem<float>(c, trajectory, "f32, Riccati", TTC_SOLVER_RICCATI);
        else
            expect_forward_failure_reported_as_alone(c, bad, trajectory, TTC_SOLVER_RICCATI);
    }
}

// The gradients of c's problems solved one call each (a batch of one never fills a group), laid out as the batched
// call lays them out: B and Q summed over the heads of a token in R, head 0 first, when the case broadcasts them.
template <class R>
DiscountedGrads one_call_per_problem(const DiscountedCase& c, const Upstream& up, const ttc_options& o) {
    DiscountedGrads all;
    const bool summed = c.broadcast_BQ && c.H > 1;
    std::vector<R> sum_B, sum_Q, unused;
    for (std::int64_t b = 0; b < c.problems(); ++b) {
        const DiscountedGrads g = gradients<R>(only_problem(c, b), only_problem(up, c, b), o);
        EXPECT_EQ(g.status, TTC_STATUS_OK) << "problem " << b << ": " << ttc_last_error();
        for (auto [to, from] : {std::pair{&all.a, &g.a}, {&all.lga, &g.lga}, {&all.lgb, &g.lgb}, {&all.lgq, &g.lgq},
                                {&all.Qf, &g.Qf}, {&all.rho, &g.rho}, {&all.h0, &g.h0}})
            append_gradient(*to, unused, *from, b, c.H, false);
        append_gradient(all.B, sum_B, g.B, b, c.H, summed);
        append_gradient(all.Q, sum_Q, g.Q, b, c.H, summed);
    }
    return all;
}

template <class R>
void expect_lane_grads_match_one_call_per_problem(const DiscountedCase& c, const Upstream& up, const std::string& what,
                                                  ttc_solver solver = TTC_SOLVER_SYMPLECTIC) {
    const ttc_options o = options_for(solver);
    const DiscountedGrads batched = gradients<R>(c, up, o);
    ASSERT_EQ(batched.status, TTC_STATUS_OK) << what << ": " << ttc_last_error();
    expect_grads_bitwise_equal(batched, one_call_per_problem<R>(c, up, o), what);
}

// Problem counts up to 30, with B and Q broadcast over up to 6 heads (their gradients summed over a token's heads),
// and upstream gradients over the whole horizon, part of it, or none of it.
TEST(BatchLanes, EachLaneOfTheBackwardHasTheBitsOfTheOneProblemBackward) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        const std::int64_t T = rng.integer(1, 30);
        const DiscountedCase c = random_discounted(rng, rng.integer(1, 5), rng.integer(1, 6), T, rng.integer(1, 10),
                                                   rng.integer(1, 10), rng.integer(0, 1) == 1);
        const Upstream up = random_upstream(rng, c, rng.integer(0, T), rng.integer(0, T));
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            expect_lane_grads_match_one_call_per_problem<double>(c, up, std::string("f64, ") + solver_name(solver),
                                                                 solver);
            expect_lane_grads_match_one_call_per_problem<float>(c, up, std::string("f32, ") + solver_name(solver),
                                                                solver);
        }
    });
}

TEST(BatchLanes, ABackwardProblemWithSmallAInAGroupTakesRiccatiAlone) {
    Rng rng(11);
    DiscountedCase c = random_discounted(rng, 3, 4, 20, 5, 3, true);
    const std::int64_t b = 6;
    std::fill(c.a.begin() + b * c.n, c.a.begin() + (b + 1) * c.n, 0.0);
    c.a[b * c.n + 2] = -1.0;
    c.lga[b] = -1e-9;  // |(A_t)_ii| = 1 - gamma^t < tau: solved by Riccati (DESIGN.md §3.2)
    const Upstream up = random_upstream(rng, c, c.T, c.T);
    expect_lane_grads_match_one_call_per_problem<double>(c, up, "f64");
    const DiscountedGrads lanes = gradients<double>(c, up, options_for(TTC_SOLVER_SYMPLECTIC));
    const DiscountedGrads riccati = gradients<double>(c, up, options_for(TTC_SOLVER_RICCATI));
    const std::size_t n = static_cast<std::size_t>(c.n);
    EXPECT_EQ(Vec(lanes.a.begin() + b * n, lanes.a.begin() + (b + 1) * n),
              Vec(riccati.a.begin() + b * n, riccati.a.begin() + (b + 1) * n));
}

// Problem `bad` of c fails in f32; the batched backward must report it as that problem's own backward does.
void expect_backward_failure_reported_as_alone(const DiscountedCase& c, const Upstream& up, std::int64_t bad,
                                               ttc_solver solver = TTC_SOLVER_SYMPLECTIC,
                                               ttc_status expected = TTC_STATUS_ILL_CONDITIONED) {
    const ttc_options o = options_for(solver);
    const DiscountedGrads lanes = gradients<float>(c, up, o);
    const Outcome batched = outcome_of(lanes.status);
    expect_failure_of_problem(
        batched, outcome_of(gradients<float>(only_problem(c, bad), only_problem(up, c, bad), o).status), bad,
        expected);
    const std::int64_t before = bad - 1, m = c.m;  // a problem before the failure, in the same group: solved
    const DiscountedGrads solved = gradients<float>(only_problem(c, before), only_problem(up, c, before), o);
    EXPECT_EQ(Vec(lanes.rho.begin() + before * m, lanes.rho.begin() + (before + 1) * m), solved.rho);
}

TEST(BatchLanes, ABackwardSolveFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(5);
    DiscountedCase c = random_discounted(rng, 8, 1, 12, 4, 4, false);
    const std::int64_t bad = 5, n = c.n;
    for (std::int64_t e = 0; e < n * n; ++e) c.Qf[bad * n * n + e] *= 1e30;  // |Q_T|^2 overflows f32
    expect_backward_failure_reported_as_alone(c, random_upstream(rng, c, c.T, c.T), bad);
}

TEST(BatchLanes, ABackwardRiccatiFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(9);
    DiscountedCase c = random_discounted(rng, 8, 1, 12, 4, 4, false);
    const std::int64_t bad = 3, n = c.n;
    for (std::int64_t e = 0; e < n * n; ++e) c.Qf[bad * n * n + e] = e % (n + 1) == 0 ? -1e6 : 0.0;
    expect_backward_failure_reported_as_alone(c, random_upstream(rng, c, c.T, c.T), bad, TTC_SOLVER_RICCATI,
                                              TTC_STATUS_NOT_CONVEX);
}

// The sweep does not see the upstream's scale, so this solve succeeds with an adjoint trajectory that overflows.
TEST(BatchLanes, ABackwardNonFiniteTrajectoryInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(6);
    const DiscountedCase c = random_discounted(rng, 16, 1, 12, 4, 4, false);
    Upstream up = random_upstream(rng, c, c.T, c.T);
    const std::int64_t bad = 13;
    for (std::int64_t e = 0; e < c.T * c.m; ++e) up.gu[bad * c.T * c.m + e] *= 1e38;
    expect_backward_failure_reported_as_alone(c, up, bad);
    expect_backward_failure_reported_as_alone(c, up, bad, TTC_SOLVER_RICCATI);
}

}  // namespace
}  // namespace ttc::test
