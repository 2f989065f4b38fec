// The explicit form's forward and backward solve their problems several at a time in the batch-SIMD layout
// (cpu/explicit_lanes.hpp), reading each step of each problem as the one-problem solve reads it. Each lane must give
// the bits of that problem solved alone, and a group that cannot be solved in lanes must behave exactly as before.
#include <gtest/gtest.h>

#include <string>

#include "lqr_case.hpp"
#include "one_call_per_problem.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

// Problem b of c alone: N = H = 1, with its own B and Q.
ExplicitCase only_problem(const ExplicitCase& c, std::int64_t b) {
    const Draw& s = c.shape;
    ExplicitCase one;
    one.shape = s;
    one.shape.N = 1, one.shape.H = 1, one.shape.broadcast_BQ = false;
    auto part = [](const Vec& v, std::int64_t k, std::int64_t size) {
        return v.empty() ? Vec{} : Vec(v.begin() + k * size, v.begin() + (k + 1) * size);
    };
    const std::int64_t T = s.T, n = s.n, m = s.m, bq = s.broadcast_BQ ? b / s.H : b;
    one.a = part(c.a, b, T * n), one.B = part(c.B, bq, T * n * m), one.Q = part(c.Q, bq, T * n * n);
    one.rho = part(c.rho, b, T * m), one.h0 = part(c.h0, b, n), one.q = part(c.q, b, T * n);
    one.r = part(c.r, b, T * m);
    return one;
}

Upstream only_problem(const Upstream& up, const ExplicitCase& c, std::int64_t b) {
    return upstream_of_problem(up, c.shape.n, c.shape.m, b);
}

template <class R>
void expect_forward_matches_one_call_per_problem(const ExplicitCase& c, bool trajectory, const std::string& what,
                                                 ttc_solver solver = TTC_SOLVER_SYMPLECTIC) {
    const ttc_options o = options_for(solver);
    const Solution lanes = solve<R>(c, o, trajectory);
    ASSERT_EQ(lanes.status, TTC_STATUS_OK) << what << ": " << ttc_last_error();
    Solution single;
    for (std::int64_t b = 0; b < c.problems(); ++b) {
        const Solution one = solve<R>(only_problem(c, b), o, trajectory);
        ASSERT_EQ(one.status, TTC_STATUS_OK) << what << ", problem " << b << ": " << ttc_last_error();
        append_solution(single, one);
    }
    EXPECT_EQ(lanes.u1, single.u1) << what;
    EXPECT_EQ(lanes.P0, single.P0) << what;
    EXPECT_EQ(lanes.u, single.u) << what;
    EXPECT_EQ(lanes.h, single.h) << what;
    EXPECT_EQ(lanes.lambda, single.lambda) << what;
}

// With `sum_heads`, every gradient is summed over the heads of a token: here in R, head 0 first, as the library must.
template <class R>
void expect_backward_matches_one_call_per_problem(const ExplicitCase& c, const Upstream& up, bool sum_heads,
                                                  const std::string& what, ttc_solver solver = TTC_SOLVER_SYMPLECTIC) {
    const ttc_options o = options_for(solver);
    const Grads lanes = gradients<R>(c, up, o, sum_heads);
    ASSERT_EQ(lanes.status, TTC_STATUS_OK) << what << ": " << ttc_last_error();
    const std::int64_t H = c.shape.H;
    Grads single;
    std::vector<R> sums[7];
    for (std::int64_t b = 0; b < c.problems(); ++b) {
        const Grads one = gradients<R>(only_problem(c, b), only_problem(up, c, b), o);
        ASSERT_EQ(one.status, TTC_STATUS_OK) << what << ", problem " << b << ": " << ttc_last_error();
        Vec* to[] = {&single.a, &single.B, &single.Q, &single.rho, &single.h0, &single.q, &single.r};
        const Vec* from[] = {&one.a, &one.B, &one.Q, &one.rho, &one.h0, &one.q, &one.r};
        for (int k = 0; k < 7; ++k) append_gradient(*to[k], sums[k], *from[k], b, H, sum_heads);
    }
    expect_grads_bitwise_equal(lanes, single, what);
}

// Up to 20 problems, with or without linear costs, B and Q per head or shared by a token's heads, gradients per head
// or summed over them, and upstream gradients over the whole horizon, part of it, or none of it; both solvers.
TEST(BatchLanesExplicit, EachLaneHasTheBitsOfTheOneProblemSolve) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.N = rng.integer(1, 4), d.H = rng.integer(1, 5), d.T = rng.integer(1, 30);
        d.n = rng.integer(1, 10), d.m = rng.integer(1, 10);
        d.linear = rng.integer(0, 1) == 1, d.broadcast_BQ = rng.integer(0, 1) == 1;
        const ExplicitCase c = random_explicit(rng, d);
        const Upstream up = random_upstream(rng, c, rng.integer(0, d.T), rng.integer(0, d.T));
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            const std::string name = std::string(", ") + solver_name(solver);
            for (bool trajectory : {false, true}) {
                expect_forward_matches_one_call_per_problem<double>(c, trajectory, "f64 forward" + name, solver);
                expect_forward_matches_one_call_per_problem<float>(c, trajectory, "f32 forward" + name, solver);
            }
            for (bool sum_heads : {false, true}) {
                expect_backward_matches_one_call_per_problem<double>(c, up, sum_heads, "f64 backward" + name, solver);
                expect_backward_matches_one_call_per_problem<float>(c, up, sum_heads, "f32 backward" + name, solver);
            }
        }
    });
}

// A problem with a small |a| takes Riccati (DESIGN.md §3.2); its group falls back to one problem at a time.
TEST(BatchLanesExplicit, AProblemWithSmallAInAGroupTakesRiccatiAlone) {
    Rng rng(3);
    Draw d;
    d.N = 9, d.T = 16, d.n = 5, d.m = 3;
    ExplicitCase c = random_explicit(rng, d);
    const std::int64_t b = 6;
    c.a[(b * d.T + 7) * d.n + 2] = 1e-12;
    const Upstream up = random_upstream(rng, c, d.T, d.T);
    expect_forward_matches_one_call_per_problem<double>(c, true, "f64 forward");
    expect_backward_matches_one_call_per_problem<double>(c, up, false, "f64 backward");
    const Solution lanes = solve<double>(c, options_for(TTC_SOLVER_SYMPLECTIC), false);
    const Solution riccati = solve<double>(c, options_for(TTC_SOLVER_RICCATI), false);
    const std::size_t m = static_cast<std::size_t>(d.m);
    EXPECT_EQ(Vec(lanes.u1.begin() + b * m, lanes.u1.begin() + (b + 1) * m),
              Vec(riccati.u1.begin() + b * m, riccati.u1.begin() + (b + 1) * m));
}

// Problem 5's terminal cost overflows f32 and problem 13's initial state makes its outputs overflow: each is reported
// by its batch index, with the message its own call gives, forward and backward.
TEST(BatchLanesExplicit, AFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(4);
    Draw d;
    d.N = 16, d.T = 10, d.n = 4, d.m = 4;
    const ExplicitCase clean = random_explicit(rng, d);
    const Upstream up = random_upstream(rng, clean, d.T, d.T);
    for (std::int64_t bad : {5, 13}) {
        ExplicitCase c = clean;
        if (bad == 5)
            for (std::int64_t e = 0; e < d.n * d.n; ++e) c.Q[((bad * d.T) + d.T - 1) * d.n * d.n + e] *= 1e30;
        else
            for (std::int64_t i = 0; i < d.n; ++i) c.h0[bad * d.n + i] = 3e38;
        const ttc_options o = options_for(TTC_SOLVER_SYMPLECTIC);
        const Solution forward = solve<float>(c, o, false);
        EXPECT_EQ(forward.status, TTC_STATUS_ILL_CONDITIONED) << ttc_last_error();
        EXPECT_EQ(ttc_last_error_batch_index(), bad) << ttc_last_error();
        const Grads backward = gradients<float>(c, up, o);
        EXPECT_EQ(backward.status, TTC_STATUS_ILL_CONDITIONED) << ttc_last_error();
        EXPECT_EQ(ttc_last_error_batch_index(), bad) << ttc_last_error();
        const Solution alone = solve<float>(only_problem(c, bad), o, false);
        EXPECT_EQ(alone.status, forward.status);
        const std::int64_t before = bad - 1, m = d.m;  // in the same group, before the failure: solved
        const Solution solved = solve<float>(only_problem(c, before), o, false);
        EXPECT_EQ(Vec(forward.u1.begin() + before * m, forward.u1.begin() + (before + 1) * m), solved.u1);
    }
}

// Riccati in lanes: problem 6's last Q_t is negative definite, so its S_t is not positive definite (NOT_CONVEX),
// forward and backward; the other problems of its group are solved in the same call.
TEST(BatchLanesExplicit, ARiccatiFailureInAGroupIsReportedAsOneProblemAtATime) {
    Rng rng(5);
    Draw d;
    d.N = 16, d.T = 10, d.n = 4, d.m = 4;
    ExplicitCase c = random_explicit(rng, d);
    const Upstream up = random_upstream(rng, c, d.T, d.T);
    const std::int64_t bad = 6;
    for (std::int64_t e = 0; e < d.n * d.n; ++e)
        c.Q[((bad * d.T) + d.T - 1) * d.n * d.n + e] = e % (d.n + 1) == 0 ? -1e6 : 0.0;
    const ttc_options o = options_for(TTC_SOLVER_RICCATI);
    for (bool trajectory : {false, true}) {
        const Solution forward = solve<double>(c, o, trajectory);
        const Outcome batched = outcome_of(forward.status);
        expect_failure_of_problem(batched, outcome_of(solve<double>(only_problem(c, bad), o, trajectory).status), bad,
                                  TTC_STATUS_NOT_CONVEX);
        const std::int64_t before = bad - 1, m = d.m;
        const Solution solved = solve<double>(only_problem(c, before), o, trajectory);
        EXPECT_EQ(Vec(forward.u1.begin() + before * m, forward.u1.begin() + (before + 1) * m), solved.u1);
    }
    const Grads backward = gradients<double>(c, up, o);
    const Outcome batched = outcome_of(backward.status);
    expect_failure_of_problem(
        batched, outcome_of(gradients<double>(only_problem(c, bad), only_problem(up, c, bad), o).status), bad,
        TTC_STATUS_NOT_CONVEX);
}

}  // namespace
}  // namespace ttc::test
