// The trajectory satisfies the dynamics E1 and the optimality conditions of DESIGN.md §4:
//   lambda_T = Q_T h_T + q_T,  lambda_t = Q_t h_t + q_t + A_{t+1}' lambda_{t+1},  lambda_0 = A_1' lambda_1,
//   u_t = -R_t^-1 (B_t' lambda_t + r_t).
#include <gtest/gtest.h>

#include "kkt_reference.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

struct Residuals {
    double dynamics = 0, costate = 0, control = 0, scale = 1;
};

Residuals residuals(const OneProblem& p, const Vec& u, const Vec& h, const Vec& lam) {
    const std::int64_t T = p.T, n = p.n, m = p.m;
    Residuals r;
    for (double x : h) r.scale = std::max(r.scale, std::fabs(x));
    for (double x : lam) r.scale = std::max(r.scale, std::fabs(x));
    for (double x : u) r.scale = std::max(r.scale, std::fabs(x));
    for (std::int64_t t = 1; t <= T; ++t) {
        const std::int64_t k = t - 1;
        for (std::int64_t i = 0; i < n; ++i) {
            double v = p.a[k * n + i] * h[k * n + i];
            for (std::int64_t j = 0; j < m; ++j) v += p.B[(k * n + i) * m + j] * u[k * m + j];
            r.dynamics = std::max(r.dynamics, std::fabs(h[t * n + i] - v));
            double c = p.q[k * n + i];
            for (std::int64_t j = 0; j < n; ++j)
                c += 0.5 * (p.Q[(k * n + i) * n + j] + p.Q[(k * n + j) * n + i]) * h[t * n + j];
            if (t < T) c += p.a[t * n + i] * lam[(t + 1) * n + i];
            r.costate = std::max(r.costate, std::fabs(lam[t * n + i] - c));
        }
        for (std::int64_t j = 0; j < m; ++j) {
            double c = p.r[k * m + j];
            for (std::int64_t i = 0; i < n; ++i) c += p.B[(k * n + i) * m + j] * lam[t * n + i];
            r.control = std::max(r.control, std::fabs(u[k * m + j] + c / p.rho[k * m + j]));
        }
    }
    for (std::int64_t i = 0; i < n && T > 0; ++i)
        r.costate = std::max(r.costate, std::fabs(lam[i] - p.a[i] * lam[n + i]));
    return r;
}

TEST(Trajectory, SatisfiesDynamicsAndOptimality) {
    for_each_seed(24, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = rng.integer(1, 12);
        d.m = rng.integer(1, 12);
        d.T = rng.integer(1, 128);
        d.N = 2;
        d.linear = seed % 2 == 0;
        if (seed % 4 < 2) d.a_lo = 0.2, d.a_hi = 1.8;
        const ExplicitCase c = random_explicit(rng, d);
        for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
            const Solution s = solve(c, options_for(solver));
            ASSERT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
            for (std::int64_t b = 0; b < c.problems(); ++b) {
                auto part = [&](const Vec& v, std::int64_t len) {
                    return Vec(v.begin() + b * len, v.begin() + (b + 1) * len);
                };
                const OneProblem p = extract(c, b);
                const Residuals r = residuals(p, part(s.u, d.T * d.m), part(s.h, (d.T + 1) * d.n),
                                              part(s.lambda, (d.T + 1) * d.n));
                EXPECT_LE(r.dynamics / r.scale, 1e-10) << "E1, solver " << solver;
                EXPECT_LE(r.costate / r.scale, 1e-10) << "costate recursion, solver " << solver;
                EXPECT_LE(r.control / r.scale, 1e-10) << "u_t = -R^-1 (B' lambda_t + r_t), solver " << solver;
                EXPECT_EQ(part(s.u1, d.m), Vec(s.u.begin() + b * d.T * d.m, s.u.begin() + b * d.T * d.m + d.m));
            }
        }
    });
}

}  // namespace
}  // namespace ttc::test
