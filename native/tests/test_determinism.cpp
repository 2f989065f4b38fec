// Results are bitwise independent of the thread count, of the batch size N, and of a problem's position in the batch
// (DESIGN.md §8), for the forward and for the backward with gradients summed over heads.
#include <gtest/gtest.h>

#include <thread>

#include "lqr_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

class ThreadCount {
public:
    explicit ThreadCount(int n) : saved_(ttc_get_num_threads()) { EXPECT_EQ(ttc_set_num_threads(n), TTC_STATUS_OK); }
    ~ThreadCount() { ttc_set_num_threads(saved_); }

private:
    int saved_;
};

// Problem b of a case, alone (N = 1, H as in the case).
ExplicitCase token_alone(const ExplicitCase& c, std::int64_t token) {
    ExplicitCase one = c;
    const auto& s = c.shape;
    one.shape.N = 1;
    auto cut = [&](const Vec& v, std::int64_t per_token) {
        return v.empty() ? v : Vec(v.begin() + token * per_token, v.begin() + (token + 1) * per_token);
    };
    const std::int64_t H = s.H, HBQ = c.BQ_heads(), T = s.T, n = s.n, m = s.m;
    one.a = cut(c.a, H * T * n), one.B = cut(c.B, HBQ * T * n * m), one.Q = cut(c.Q, HBQ * T * n * n);
    one.rho = cut(c.rho, H * T * m), one.h0 = cut(c.h0, H * n), one.q = cut(c.q, H * T * n), one.r = cut(c.r, H * T * m);
    return one;
}

// The batch with its tokens in reverse order.
ExplicitCase reversed(const ExplicitCase& c) {
    ExplicitCase out = c;
    for (Vec* v : {&out.a, &out.B, &out.Q, &out.rho, &out.h0, &out.q, &out.r}) v->clear();
    for (std::int64_t t = c.shape.N - 1; t >= 0; --t) {
        const ExplicitCase one = token_alone(c, t);
        auto append = [](Vec& dst, const Vec& src) { dst.insert(dst.end(), src.begin(), src.end()); };
        append(out.a, one.a), append(out.B, one.B), append(out.Q, one.Q), append(out.rho, one.rho);
        append(out.h0, one.h0), append(out.q, one.q), append(out.r, one.r);
    }
    return out;
}

Vec token_part(const Vec& v, std::int64_t token, std::int64_t N) {
    const std::size_t per = v.size() / N;
    return Vec(v.begin() + token * per, v.begin() + (token + 1) * per);
}

TEST(Determinism, BitwiseAcrossThreadsBatchSizeAndPosition) {
    for_each_seed(4, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = rng.integer(1, 8), d.m = rng.integer(1, 8), d.T = rng.integer(1, 40), d.N = 9, d.H = 3;
        d.broadcast_BQ = true;
        const ExplicitCase c = random_explicit(rng, d);
        const Upstream up = random_upstream(rng, c, 1, 0);
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            Solution base;
            Grads gbase;
            {
                ThreadCount one(1);
                base = solve(c, options_for(solver));
                gbase = gradients(c, up, options_for(solver), true);
            }
            ASSERT_EQ(base.status, TTC_STATUS_OK);
            ASSERT_EQ(gbase.status, TTC_STATUS_OK);
            for (int threads : {2, 3, 5}) {
                ThreadCount tc(threads);
                const Solution s = solve(c, options_for(solver));
                const Grads g = gradients(c, up, options_for(solver), true);
                EXPECT_EQ(s.u1, base.u1) << threads << " threads";
                EXPECT_EQ(s.h, base.h) << threads << " threads";
                EXPECT_EQ(s.lambda, base.lambda) << threads << " threads";
                EXPECT_EQ(s.P0, base.P0) << threads << " threads";
                EXPECT_EQ(g.B, gbase.B) << threads << " threads";
                EXPECT_EQ(g.Q, gbase.Q) << threads << " threads";
                EXPECT_EQ(g.a, gbase.a) << threads << " threads";
                EXPECT_EQ(g.h0, gbase.h0) << threads << " threads";
            }
            const ExplicitCase rev = reversed(c);
            const Solution r = solve(rev, options_for(solver));
            for (std::int64_t t = 0; t < d.N; ++t) {
                const ExplicitCase alone = token_alone(c, t);
                const Solution s = solve(alone, options_for(solver));
                EXPECT_EQ(s.u1, token_part(base.u1, t, d.N)) << "token " << t << " alone";
                EXPECT_EQ(s.h, token_part(base.h, t, d.N)) << "token " << t << " alone";
                Upstream up_alone = up;
                up_alone.gu = token_part(up.gu, t, d.N);
                const Grads g = gradients(alone, up_alone, options_for(solver), true);
                EXPECT_EQ(g.B, token_part(gbase.B, t, d.N)) << "token " << t << " alone";
                EXPECT_EQ(g.a, token_part(gbase.a, t, d.N)) << "token " << t << " alone";
                EXPECT_EQ(token_part(r.u1, d.N - 1 - t, d.N), token_part(base.u1, t, d.N)) << "token " << t << " moved";
                EXPECT_EQ(token_part(r.P0, d.N - 1 - t, d.N), token_part(base.P0, t, d.N)) << "token " << t << " moved";
            }
        }
    });
}

// Concurrent callers share the pool (one of them runs on its own thread) and get the same bits.
TEST(Determinism, ConcurrentCallersGetIdenticalResults) {
    Rng rng(11);
    Draw d;
    d.n = 6, d.m = 4, d.T = 30, d.N = 16, d.H = 2;
    const ExplicitCase c = random_explicit(rng, d);
    const Solution base = solve(c, options_for(TTC_SOLVER_SYMPLECTIC));
    ASSERT_EQ(base.status, TTC_STATUS_OK);
    std::vector<Solution> results(4);
    std::vector<std::thread> callers;
    for (int i = 0; i < 4; ++i)
        callers.emplace_back([&, i] { results[i] = solve(c, options_for(TTC_SOLVER_SYMPLECTIC)); });
    for (auto& t : callers) t.join();
    for (const Solution& r : results) {
        EXPECT_EQ(r.status, TTC_STATUS_OK);
        EXPECT_EQ(r.u1, base.u1);
        EXPECT_EQ(r.lambda, base.lambda);
    }
}

}  // namespace
}  // namespace ttc::test
