// Symplectic = Riccati in f64 (forward 1e-10, gradients 1e-9) over n, m in [1, 32] with m < n and m > n, T in
// [0, 256], |a| in [0.75, 1.25] and [0.2, 1.8] with random signs, with and without q and r.
#include <gtest/gtest.h>

#include <string>

#include "lqr_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

void expect_solvers_agree(const ExplicitCase& c, const Upstream& up, ttc_storage storage) {
    const Solution s = solve(c, options_for(TTC_SOLVER_SYMPLECTIC, storage));
    const Solution r = solve(c, options_for(TTC_SOLVER_RICCATI));
    ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
    ASSERT_EQ(r.status, TTC_STATUS_OK) << ttc_last_error();
    EXPECT_LE(rel_error(s.u1, r.u1), 1e-10) << "u1";
    EXPECT_LE(rel_error(s.u, r.u), 1e-10) << "u";
    EXPECT_LE(rel_error(s.h, r.h), 1e-10) << "h";
    EXPECT_LE(rel_error(s.lambda, r.lambda), 1e-10) << "lambda";
    EXPECT_LE(rel_error(s.P0, r.P0), 1e-10) << "P0";
    const Grads gs = gradients(c, up, options_for(TTC_SOLVER_SYMPLECTIC, storage));
    const Grads gr = gradients(c, up, options_for(TTC_SOLVER_RICCATI));
    ASSERT_EQ(gs.status, TTC_STATUS_OK) << ttc_last_error();
    ASSERT_EQ(gr.status, TTC_STATUS_OK) << ttc_last_error();
    expect_grads_close(gs, gr, 1e-9);
}

void expect_trajectories_bitwise_equal(const Solution& a, const Solution& b, const std::string& what) {
    EXPECT_EQ(a.u, b.u) << what;
    EXPECT_EQ(a.h, b.h) << what;
    EXPECT_EQ(a.lambda, b.lambda) << what;
    EXPECT_EQ(a.u1, b.u1) << what;
}

Draw random_draw(Rng& rng, bool wide_a, bool m_below_n) {
    Draw d;
    d.n = rng.integer(2, 32);
    d.m = m_below_n ? rng.integer(1, d.n - 1) : rng.integer(d.n + 1, 33);
    d.m = std::min<std::int64_t>(d.m, 32);
    if (!m_below_n && d.m <= d.n) d.n = d.m - 1;
    d.T = rng.integer(0, 256);
    d.linear = rng.integer(0, 1) == 1;
    if (wide_a) d.a_lo = 0.2, d.a_hi = 1.8;
    return d;
}

TEST(SolverAgreement, NarrowAControlsFewerThanStates) {
    for_each_seed(12, [](std::uint64_t seed) {
        Rng rng(seed);
        const ExplicitCase c = random_explicit(rng, random_draw(rng, false, true));
        expect_solvers_agree(c, random_upstream(rng, c, c.shape.T, c.shape.T), TTC_STORAGE_CHECKPOINTS);
    });
}

TEST(SolverAgreement, NarrowAControlsMoreThanStates) {
    for_each_seed(12, [](std::uint64_t seed) {
        Rng rng(seed);
        const ExplicitCase c = random_explicit(rng, random_draw(rng, false, false));
        expect_solvers_agree(c, random_upstream(rng, c, c.shape.T, c.shape.T), TTC_STORAGE_FULL);
    });
}

TEST(SolverAgreement, WideAControlsFewerThanStates) {
    for_each_seed(12, [](std::uint64_t seed) {
        Rng rng(seed);
        const ExplicitCase c = random_explicit(rng, random_draw(rng, true, true));
        expect_solvers_agree(c, random_upstream(rng, c, c.shape.T, c.shape.T), TTC_STORAGE_CHECKPOINTS);
    });
}

TEST(SolverAgreement, WideAControlsMoreThanStates) {
    for_each_seed(12, [](std::uint64_t seed) {
        Rng rng(seed);
        const ExplicitCase c = random_explicit(rng, random_draw(rng, true, false));
        expect_solvers_agree(c, random_upstream(rng, c, c.shape.T, c.shape.T), TTC_STORAGE_FULL);
    });
}

// Many small problems in one batch, covering n = m, tiny sizes and the TTC layer's upstream (u_1 only).
TEST(SolverAgreement, SmallBatchedProblems) {
    for_each_seed(30, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = rng.integer(1, 6);
        d.m = rng.integer(1, 6);
        d.T = rng.integer(0, 40);
        d.N = rng.integer(1, 4);
        d.H = rng.integer(1, 3);
        d.linear = seed % 2 == 0;
        d.broadcast_BQ = seed % 3 == 0;
        if (seed % 4 < 2) d.a_lo = 0.2, d.a_hi = 1.8;
        const ExplicitCase c = random_explicit(rng, d);
        expect_solvers_agree(c, random_upstream(rng, c, std::min<std::int64_t>(1, d.T), 0), TTC_STORAGE_CHECKPOINTS);
    });
}

// The checkpointed rollout recomputes the sweep with the same code, so it is bitwise the stored rollout.
TEST(SolverAgreement, CheckpointsEqualFullStorageBitwise) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = rng.integer(1, 10);
        d.m = rng.integer(1, 10);
        d.T = rng.integer(1, 120);
        d.a_lo = 0.2, d.a_hi = 1.8;
        const ExplicitCase c = random_explicit(rng, d);
        const Solution a = solve(c, options_for(TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS));
        const Solution b = solve(c, options_for(TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_FULL));
        ASSERT_EQ(a.status, TTC_STATUS_OK) << ttc_last_error();
        ASSERT_EQ(b.status, TTC_STATUS_OK) << ttc_last_error();
        expect_trajectories_bitwise_equal(a, b, "");
    });
}

// The rollout's segments are L = ceil(sqrt(T)) steps from step 1 up, the last one shorter; the first comes straight
// from the checkpoint sweep. Horizons at and around perfect squares give a short last segment, one step, none and a
// single segment, forward and backward.
TEST(SolverAgreement, CheckpointSegmentsEqualFullStorageBitwiseAtEveryEdge) {
    for (std::int64_t T : {1, 2, 3, 4, 5, 8, 9, 10, 15, 16, 17, 24, 25, 26, 63, 64, 65}) {
        Rng rng(static_cast<std::uint64_t>(T));
        Draw d;
        d.n = 3;
        d.m = 2;
        d.T = T;
        d.linear = true;
        const ExplicitCase c = random_explicit(rng, d);
        const Upstream up = random_upstream(rng, c, T, T);
        const ttc_options checkpoints = options_for(TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
        const ttc_options full = options_for(TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_FULL);
        const Solution a = solve(c, checkpoints), b = solve(c, full);
        ASSERT_EQ(a.status, TTC_STATUS_OK) << "T = " << T << ": " << ttc_last_error();
        ASSERT_EQ(b.status, TTC_STATUS_OK) << "T = " << T << ": " << ttc_last_error();
        expect_trajectories_bitwise_equal(a, b, "T = " + std::to_string(T));
        const Grads ga = gradients(c, up, checkpoints), gb = gradients(c, up, full);
        ASSERT_EQ(ga.status, TTC_STATUS_OK) << "T = " << T << ": " << ttc_last_error();
        ASSERT_EQ(gb.status, TTC_STATUS_OK) << "T = " << T << ": " << ttc_last_error();
        expect_grads_bitwise_equal(ga, gb, "T = " + std::to_string(T));
    }
}

}  // namespace
}  // namespace ttc::test
