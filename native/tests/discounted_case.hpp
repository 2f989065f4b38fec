// Random discounted-form problems (E3), their expansion into the explicit form, and ABI wrappers.
#pragma once

#include <gtest/gtest.h>

#include "lqr_case.hpp"

namespace ttc::test {

struct DiscountedCase {
    std::int64_t N = 1, H = 1, T = 8, n = 4, m = 3;
    bool broadcast_BQ = false;  // B and Q hold one head per token (stride 0 on the head axis)
    Vec a, lga, B, lgb, Q, lgq, Qf, rho, h0;

    std::int64_t problems() const { return N * H; }
    std::int64_t bq(std::int64_t b) const { return broadcast_BQ ? b / H : b; }
};

inline double softplus(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }

// log gamma = -softplus(N(0,1)) - offset (DESIGN.md §7's inputs use offset 1.328; smaller offsets give gamma -> 1).
inline DiscountedCase random_discounted(Rng& rng, std::int64_t N, std::int64_t H, std::int64_t T, std::int64_t n,
                                        std::int64_t m, bool broadcast_BQ, double offset = 0.05) {
    DiscountedCase c;
    c.N = N, c.H = H, c.T = T, c.n = n, c.m = m, c.broadcast_BQ = broadcast_BQ;
    const std::int64_t P = N * H, PBQ = broadcast_BQ ? N : P;
    auto log_gamma = [&] { return -softplus(rng.normal()) - offset; };
    c.a.resize(P * n);
    for (auto& v : c.a) v = rng.uniform(-0.9, 0.9);
    c.lga.resize(P);
    for (auto& v : c.lga) v = log_gamma();
    c.B.resize(PBQ * n * m);
    for (auto& v : c.B) v = rng.normal() / std::sqrt(static_cast<double>(n));
    c.lgb.resize(P * m);
    for (auto& v : c.lgb) v = log_gamma();
    c.Q.resize(PBQ * n * n);
    for (std::int64_t k = 0; k < PBQ; ++k) random_psd(rng, n, c.Q.data() + k * n * n);
    c.lgq.resize(P * n);
    for (auto& v : c.lgq) v = log_gamma();
    c.Qf.resize(P * n * n);
    for (std::int64_t k = 0; k < P; ++k) random_psd(rng, n, c.Qf.data() + k * n * n);
    c.rho.resize(P * m);
    for (auto& v : c.rho) v = rng.uniform(0.5, 2.0);
    c.h0.resize(P * n);
    for (auto& v : c.h0) v = rng.normal();
    return c;
}

// E3 written out in the test: the explicit problem with the same solution.
inline ExplicitCase expand(const DiscountedCase& d) {
    ExplicitCase c;
    c.shape.N = d.N, c.shape.H = d.H, c.shape.T = d.T, c.shape.n = d.n, c.shape.m = d.m;
    c.shape.linear = false;
    const std::int64_t T = d.T, n = d.n, m = d.m;
    for (std::int64_t b = 0; b < d.problems(); ++b) {
        const std::int64_t bq = d.bq(b);
        for (std::int64_t t = 1; t <= T; ++t) {
            for (std::int64_t i = 0; i < n; ++i) c.a.push_back(1.0 + std::exp(t * d.lga[b]) * d.a[b * n + i]);
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t j = 0; j < m; ++j)
                    c.B.push_back(d.B[(bq * n + i) * m + j] * std::exp(t * d.lgb[b * m + j]));
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t j = 0; j < n; ++j)
                    c.Q.push_back(t == T ? d.Qf[(b * n + i) * n + j]
                                         : std::exp(t * d.lgq[b * n + i]) * d.Q[(bq * n + i) * n + j] *
                                               std::exp(t * d.lgq[b * n + j]));
            for (std::int64_t j = 0; j < m; ++j) c.rho.push_back(d.rho[b * m + j]);
        }
        for (std::int64_t i = 0; i < n; ++i) c.h0.push_back(d.h0[b * n + i]);
    }
    return c;
}

template <class R>
struct TypedDiscounted {
    std::vector<R> a, lga, B, lgb, Q, lgq, Qf, rho, h0;
    explicit TypedDiscounted(const DiscountedCase& c) {
        auto cv = [](const Vec& v) { return std::vector<R>(v.begin(), v.end()); };
        a = cv(c.a), lga = cv(c.lga), B = cv(c.B), lgb = cv(c.lgb), Q = cv(c.Q), lgq = cv(c.lgq), Qf = cv(c.Qf),
        rho = cv(c.rho), h0 = cv(c.h0);
    }
};

template <class R>
ttc_discounted_problem describe(const DiscountedCase& c, const TypedDiscounted<R>& x) {
    const bool bc = c.broadcast_BQ && c.H > 1;
    ttc_discounted_problem p{};
    p.T = c.T;
    p.a = tensor(x.a.data(), {c.N, c.H, c.n});
    p.log_gamma_a = tensor(x.lga.data(), {c.N, c.H});
    p.B = tensor(x.B.data(), {c.N, c.H, c.n, c.m}, bc);
    p.log_gamma_b = tensor(x.lgb.data(), {c.N, c.H, c.m});
    p.Q = tensor(x.Q.data(), {c.N, c.H, c.n, c.n}, bc);
    p.log_gamma_q = tensor(x.lgq.data(), {c.N, c.H, c.n});
    p.Qf = tensor(x.Qf.data(), {c.N, c.H, c.n, c.n});
    p.rho = tensor(x.rho.data(), {c.N, c.H, c.m});
    p.h0 = tensor(x.h0.data(), {c.N, c.H, c.n});
    return p;
}

template <class R>
Solution solve(const DiscountedCase& c, ttc_options o, bool trajectory = true) {
    const TypedDiscounted<R> x(c);
    const ttc_discounted_problem p = describe(c, x);
    const std::int64_t P = c.problems();
    std::vector<R> u1(P * c.m), u(P * c.T * c.m), h(P * (c.T + 1) * c.n), lam(P * (c.T + 1) * c.n),
        P0(P * c.n * c.n);
    ttc_solution sol{};
    sol.u1 = tensor(u1.data(), {c.N, c.H, c.m});
    sol.P0 = tensor(P0.data(), {c.N, c.H, c.n, c.n});
    if (trajectory) {
        sol.u = tensor(u.data(), {c.N, c.H, c.T, c.m});
        sol.h = tensor(h.data(), {c.N, c.H, c.T + 1, c.n});
        sol.lambda = tensor(lam.data(), {c.N, c.H, c.T + 1, c.n});
    }
    Solution out;
    out.status = std::is_same_v<R, double> ? ttc_discounted_forward_f64(&p, &o, &sol)
                                           : ttc_discounted_forward_f32(&p, &o, &sol);
    out.u1 = widen(u1), out.P0 = widen(P0);
    if (trajectory) out.u = widen(u), out.h = widen(h), out.lambda = widen(lam);
    return out;
}

struct DiscountedGrads {
    ttc_status status = TTC_STATUS_OK;
    Vec a, lga, B, lgb, Q, lgq, Qf, rho, h0;
    std::vector<NamedGrad> named() const {
        return {{"a", &a}, {"log_gamma_a", &lga}, {"B", &B}, {"log_gamma_b", &lgb}, {"Q", &Q},
                {"log_gamma_q", &lgq}, {"Qf", &Qf}, {"rho", &rho}, {"h0", &h0}};
    }
};

// Gradients with head extent 1 for B and Q when the case broadcasts them, else per head.
template <class R>
DiscountedGrads gradients(const DiscountedCase& c, const Upstream& up, ttc_options o) {
    const TypedDiscounted<R> x(c);
    const ttc_discounted_problem p = describe(c, x);
    const std::vector<R> gu(up.gu.begin(), up.gu.end()), gh(up.gh.begin(), up.gh.end());
    ttc_upstream u{};
    u.grad_u = tensor(gu.data(), {c.N, c.H, up.Tu, c.m});
    u.grad_h = tensor(gh.data(), {c.N, c.H, up.Th, c.n});
    const std::int64_t P = c.problems(), HBQ = c.broadcast_BQ ? 1 : c.H, PBQ = c.N * HBQ;
    std::vector<R> ga(P * c.n), glga(P), gB(PBQ * c.n * c.m), glgb(P * c.m), gQ(PBQ * c.n * c.n), glgq(P * c.n),
        gQf(P * c.n * c.n), grho(P * c.m), gh0(P * c.n);
    ttc_discounted_grads g{};
    g.a = tensor(ga.data(), {c.N, c.H, c.n});
    g.log_gamma_a = tensor(glga.data(), {c.N, c.H});
    g.B = tensor(gB.data(), {c.N, HBQ, c.n, c.m});
    g.log_gamma_b = tensor(glgb.data(), {c.N, c.H, c.m});
    g.Q = tensor(gQ.data(), {c.N, HBQ, c.n, c.n});
    g.log_gamma_q = tensor(glgq.data(), {c.N, c.H, c.n});
    g.Qf = tensor(gQf.data(), {c.N, c.H, c.n, c.n});
    g.rho = tensor(grho.data(), {c.N, c.H, c.m});
    g.h0 = tensor(gh0.data(), {c.N, c.H, c.n});
    DiscountedGrads out;
    out.status = std::is_same_v<R, double> ? ttc_discounted_backward_f64(&p, &o, &u, &g)
                                           : ttc_discounted_backward_f32(&p, &o, &u, &g);
    out.a = widen(ga), out.lga = widen(glga), out.B = widen(gB), out.lgb = widen(glgb), out.Q = widen(gQ),
    out.lgq = widen(glgq), out.Qf = widen(gQf), out.rho = widen(grho), out.h0 = widen(gh0);
    return out;
}

// Upstream for a discounted case, in the layout random_upstream uses.
inline Upstream random_upstream(Rng& rng, const DiscountedCase& c, std::int64_t Tu, std::int64_t Th) {
    Upstream up;
    up.Tu = Tu, up.Th = Th;
    up.gu.resize(c.problems() * Tu * c.m);
    up.gh.resize(c.problems() * Th * c.n);
    for (auto& v : up.gu) v = rng.normal();
    for (auto& v : up.gh) v = rng.normal();
    return up;
}

}  // namespace ttc::test
