// Finite differences as DESIGN.md §4 defines them: for each input, 3 random directions v (symmetric for Q), a step of
// 1e-6 max(1, |theta|_inf), and |fd - <grad, v>| <= 1e-6 max(|<grad, v>|, 1e-3 |grad| |v|).
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "discounted_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

// L = <gu, u_{1..Tu}> + <gh, h_{1..Th}> from a solution with trajectory; problems laid out [P, T, .].
double loss(const Solution& s, const Upstream& up, std::int64_t P, std::int64_t T, std::int64_t n, std::int64_t m) {
    double L = 0;
    for (std::int64_t b = 0; b < P; ++b) {
        for (std::int64_t t = 0; t < up.Tu; ++t)
            for (std::int64_t j = 0; j < m; ++j) L += up.gu[(b * up.Tu + t) * m + j] * s.u[(b * T + t) * m + j];
        for (std::int64_t t = 0; t < up.Th; ++t)
            for (std::int64_t i = 0; i < n; ++i)
                L += up.gh[(b * up.Th + t) * n + i] * s.h[(b * (T + 1) + t + 1) * n + i];
    }
    return L;
}

double norm(const Vec& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

// Checks one input: theta is perturbed in place; evaluate() returns L at the current theta.
void check_directions(Rng& rng, const std::string& name, Vec& theta, const Vec& grad,
                      const std::function<double()>& evaluate, std::int64_t symmetric_n = 0) {
    double inf = 0;
    for (double x : theta) inf = std::max(inf, std::fabs(x));
    const double eps = 1e-6 * std::max(1.0, inf);
    for (int k = 0; k < 3; ++k) {
        Vec v(theta.size());
        for (auto& x : v) x = rng.normal();
        if (symmetric_n > 0) {
            const std::int64_t n = symmetric_n;
            for (std::size_t base = 0; base < v.size(); base += n * n)
                for (std::int64_t i = 0; i < n; ++i)
                    for (std::int64_t j = 0; j < i; ++j) v[base + j * n + i] = v[base + i * n + j];
        }
        const Vec saved = theta;
        for (std::size_t i = 0; i < theta.size(); ++i) theta[i] = saved[i] + eps * v[i];
        const double plus = evaluate();
        for (std::size_t i = 0; i < theta.size(); ++i) theta[i] = saved[i] - eps * v[i];
        const double minus = evaluate();
        theta = saved;
        const double fd = (plus - minus) / (2 * eps);
        double gv = 0;
        for (std::size_t i = 0; i < v.size(); ++i) gv += grad[i] * v[i];
        const double bound = 1e-6 * std::max(std::fabs(gv), 1e-3 * norm(grad) * norm(v));
        EXPECT_LE(std::fabs(fd - gv), bound) << name << " direction " << k << ": fd " << fd << " vs <grad, v> " << gv;
    }
}

TEST(FiniteDifferences, ExplicitFormEveryInput) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        Draw d;
        d.n = rng.integer(1, 6);
        d.m = rng.integer(1, 6);
        d.T = rng.integer(1, 20);
        d.N = 2;
        if (seed % 2) d.a_lo = 0.2, d.a_hi = 1.8;
        ExplicitCase c = random_explicit(rng, d);
        const Upstream up = random_upstream(rng, c, rng.integer(1, d.T), rng.integer(0, d.T));
        const ttc_solver solver = seed % 3 == 0 ? TTC_SOLVER_RICCATI : TTC_SOLVER_SYMPLECTIC;
        const Grads g = gradients(c, up, options_for(solver));
        ASSERT_EQ(g.status, TTC_STATUS_OK) << ttc_last_error();
        auto evaluate = [&] {
            const Solution s = solve(c, options_for(solver));
            EXPECT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
            return loss(s, up, c.problems(), d.T, d.n, d.m);
        };
        check_directions(rng, "a", c.a, g.a, evaluate);
        check_directions(rng, "B", c.B, g.B, evaluate);
        check_directions(rng, "Q", c.Q, g.Q, evaluate, d.n);
        check_directions(rng, "rho", c.rho, g.rho, evaluate);
        check_directions(rng, "h0", c.h0, g.h0, evaluate);
        check_directions(rng, "q", c.q, g.q, evaluate);
        check_directions(rng, "r", c.r, g.r, evaluate);
    });
}

TEST(FiniteDifferences, DiscountedFormEveryInput) {
    for_each_seed(8, [](std::uint64_t seed) {
        Rng rng(seed);
        const bool broadcast = seed % 2 == 0;
        DiscountedCase c = random_discounted(rng, 2, broadcast ? 2 : 1, rng.integer(1, 20), rng.integer(1, 6),
                                             rng.integer(1, 6), broadcast);
        const Upstream up = random_upstream(rng, c, rng.integer(1, c.T), rng.integer(0, c.T));
        const ttc_solver solver = seed % 3 == 0 ? TTC_SOLVER_RICCATI : TTC_SOLVER_SYMPLECTIC;
        const DiscountedGrads g = gradients<double>(c, up, options_for(solver));
        ASSERT_EQ(g.status, TTC_STATUS_OK) << ttc_last_error();
        auto evaluate = [&] {
            const Solution s = solve<double>(c, options_for(solver));
            EXPECT_EQ(s.status, TTC_STATUS_OK) << ttc_last_error();
            return loss(s, up, c.problems(), c.T, c.n, c.m);
        };
        check_directions(rng, "a", c.a, g.a, evaluate);
        check_directions(rng, "log_gamma_a", c.lga, g.lga, evaluate);
        check_directions(rng, "B", c.B, g.B, evaluate);
        check_directions(rng, "log_gamma_b", c.lgb, g.lgb, evaluate);
        check_directions(rng, "Q", c.Q, g.Q, evaluate, c.n);
        check_directions(rng, "log_gamma_q", c.lgq, g.lgq, evaluate);
        check_directions(rng, "Qf", c.Qf, g.Qf, evaluate, c.n);
        check_directions(rng, "rho", c.rho, g.rho, evaluate);
        check_directions(rng, "h0", c.h0, g.h0, evaluate);
    });
}

}  // namespace
}  // namespace ttc::test
