// Random batched LQR problems in the ABI's dense layout, and thin wrappers that call the C ABI on them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ttc/ttc.h"

namespace ttc::test {

using Vec = std::vector<double>;

// DESIGN.md §0: e(x, y) = max|x - y| / (1 + max|y|), y the reference.
inline double rel_error(const Vec& x, const Vec& y) {
    double diff = 0, scale = 0;
    if (x.size() != y.size()) return INFINITY;
    for (std::size_t i = 0; i < x.size(); ++i) {
        diff = std::max(diff, std::fabs(x[i] - y[i]));
        scale = std::max(scale, std::fabs(y[i]));
        if (std::isnan(x[i]) != std::isnan(y[i])) return INFINITY;
    }
    return diff / (1 + scale);
}

struct Rng {
    std::mt19937_64 engine;
    explicit Rng(std::uint64_t seed) : engine(seed) {}
    double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(engine); }
    double normal() { return std::normal_distribution<double>(0.0, 1.0)(engine); }
    std::int64_t integer(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine);
    }
    double sign() { return integer(0, 1) ? 1.0 : -1.0; }
};

// How random explicit problems are drawn.
struct Draw {
    std::int64_t T = 8, n = 4, m = 3, N = 1, H = 1;
    double a_lo = 0.75, a_hi = 1.25;  // |a| range; signs are random
    bool linear = true;               // draw q and r
    bool broadcast_BQ = false;        // B and Q shared by the heads of a token (stride 0)
};

// An explicit-form batch, dense, f64: a [N,H,T,n], B [N,H|1,T,n,m], Q [N,H|1,T,n,n], rho [N,H,T,m], h0 [N,H,n],
// q [N,H,T,n], r [N,H,T,m] (empty when absent). With broadcast_BQ, B and Q hold one head per token.
struct ExplicitCase {
    Draw shape;
    Vec a, B, Q, rho, h0, q, r;

    std::int64_t problems() const { return shape.N * shape.H; }
    std::int64_t BQ_heads() const { return shape.broadcast_BQ ? 1 : shape.H; }
};

// Random symmetric PSD n x n matrix with scale ~1: M M' / n + diag(eps).
inline void random_psd(Rng& rng, std::int64_t n, double* out) {
    Vec M(n * n);
    for (auto& v : M) v = rng.normal();
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            double s = 0;
            for (std::int64_t k = 0; k < n; ++k) s += M[i * n + k] * M[j * n + k];
            out[i * n + j] = s / n + (i == j ? 0.05 : 0.0);
        }
}

inline ExplicitCase random_explicit(Rng& rng, const Draw& d) {
    ExplicitCase c;
    c.shape = d;
    const std::int64_t P = d.N * d.H, T = d.T, n = d.n, m = d.m, PBQ = d.N * (d.broadcast_BQ ? 1 : d.H);
    c.a.resize(P * T * n);
    for (auto& v : c.a) v = rng.sign() * rng.uniform(d.a_lo, d.a_hi);
    c.B.resize(PBQ * T * n * m);
    for (auto& v : c.B) v = rng.normal() / std::sqrt(static_cast<double>(n));
    c.Q.resize(PBQ * T * n * n);
    for (std::int64_t k = 0; k < PBQ * T; ++k) random_psd(rng, n, c.Q.data() + k * n * n);
    c.rho.resize(P * T * m);
    for (auto& v : c.rho) v = rng.uniform(0.5, 2.0);
    c.h0.resize(P * n);
    for (auto& v : c.h0) v = rng.normal();
    if (d.linear) {
        c.q.resize(P * T * n);
        c.r.resize(P * T * m);
        for (auto& v : c.q) v = 0.5 * rng.normal();
        for (auto& v : c.r) v = 0.5 * rng.normal();
    }
    return c;
}

// A dense tensor descriptor; `broadcast_head` sets the head-axis stride to 0 (the data holds one head).
template <class T>
ttc_tensor tensor(T* data, std::initializer_list<std::int64_t> shape, bool broadcast_head = false) {
    ttc_tensor t{};
    t.data = const_cast<std::remove_const_t<T>*>(data);
    t.ndim = static_cast<std::int64_t>(shape.size());
    std::int64_t i = 0;
    for (auto s : shape) t.shape[i++] = s;
    std::int64_t stride = 1, capacity = 1;
    for (std::int64_t k = t.ndim - 1; k >= 0; --k) {
        const bool zero = broadcast_head && k == 1;
        t.strides[k] = zero ? 0 : stride;
        if (!zero) stride *= t.shape[k];
    }
    for (std::int64_t k = 0; k < t.ndim; ++k)
        if (!(broadcast_head && k == 1)) capacity *= t.shape[k];
    t.capacity = capacity;
    return t;
}

// Storage of one element type for a case, so that the same case runs in f64 and in f32.
template <class R>
struct Typed {
    std::vector<R> a, B, Q, rho, h0, q, r;
    explicit Typed(const ExplicitCase& c) {
        auto cv = [](const Vec& v) { return std::vector<R>(v.begin(), v.end()); };
        a = cv(c.a), B = cv(c.B), Q = cv(c.Q), rho = cv(c.rho), h0 = cv(c.h0), q = cv(c.q), r = cv(c.r);
    }
};

template <class R>
ttc_explicit_problem describe(const ExplicitCase& c, const Typed<R>& x) {
    const auto& s = c.shape;
    const bool bc = s.broadcast_BQ && s.H > 1;
    ttc_explicit_problem p{};
    p.a = tensor(x.a.data(), {s.N, s.H, s.T, s.n});
    p.B = tensor(x.B.data(), {s.N, s.H, s.T, s.n, s.m}, bc);
    p.Q = tensor(x.Q.data(), {s.N, s.H, s.T, s.n, s.n}, bc);
    p.rho = tensor(x.rho.data(), {s.N, s.H, s.T, s.m});
    p.h0 = tensor(x.h0.data(), {s.N, s.H, s.n});
    if (!x.q.empty()) p.q = tensor(x.q.data(), {s.N, s.H, s.T, s.n});
    if (!x.r.empty()) p.r = tensor(x.r.data(), {s.N, s.H, s.T, s.m});
    return p;
}

struct Solution {
    ttc_status status = TTC_STATUS_OK;
    Vec u1, u, h, lambda, P0;
};

// A form's gradients by name, for the comparisons below.
struct NamedGrad {
    const char* name;
    const Vec* values;
};

struct Grads {
    ttc_status status = TTC_STATUS_OK;
    Vec a, B, Q, rho, h0, q, r;
    std::vector<NamedGrad> named() const {
        return {{"a", &a}, {"B", &B}, {"Q", &Q}, {"rho", &rho}, {"h0", &h0}, {"q", &q}, {"r", &r}};
    }
};

inline ttc_options options_for(ttc_solver solver, ttc_storage storage = TTC_STORAGE_CHECKPOINTS) {
    ttc_options o{};
    o.solver = solver;
    o.storage = storage;
    return o;
}

template <class R>
Vec widen(const std::vector<R>& v) {
    return Vec(v.begin(), v.end());
}

template <class R>
ttc_status call_forward(const ttc_explicit_problem* p, const ttc_options* o, const ttc_solution* s);
template <>
inline ttc_status call_forward<double>(const ttc_explicit_problem* p, const ttc_options* o, const ttc_solution* s) {
    return ttc_explicit_forward_f64(p, o, s);
}
template <>
inline ttc_status call_forward<float>(const ttc_explicit_problem* p, const ttc_options* o, const ttc_solution* s) {
    return ttc_explicit_forward_f32(p, o, s);
}
template <class R>
ttc_status call_backward(const ttc_explicit_problem* p, const ttc_options* o, const ttc_upstream* u,
                         const ttc_explicit_grads* g);
template <>
inline ttc_status call_backward<double>(const ttc_explicit_problem* p, const ttc_options* o, const ttc_upstream* u,
                                        const ttc_explicit_grads* g) {
    return ttc_explicit_backward_f64(p, o, u, g);
}
template <>
inline ttc_status call_backward<float>(const ttc_explicit_problem* p, const ttc_options* o, const ttc_upstream* u,
                                       const ttc_explicit_grads* g) {
    return ttc_explicit_backward_f32(p, o, u, g);
}

// Solves a case with every output requested.
template <class R = double>
Solution solve(const ExplicitCase& c, ttc_options o, bool trajectory = true) {
    const auto& s = c.shape;
    const Typed<R> x(c);
    const ttc_explicit_problem p = describe(c, x);
    const std::int64_t P = c.problems();
    std::vector<R> u1(P * s.m), u(P * s.T * s.m), h(P * (s.T + 1) * s.n), lam(P * (s.T + 1) * s.n),
        P0(P * s.n * s.n);
    ttc_solution sol{};
    sol.u1 = tensor(u1.data(), {s.N, s.H, s.m});
    sol.P0 = tensor(P0.data(), {s.N, s.H, s.n, s.n});
    if (trajectory) {
        sol.u = tensor(u.data(), {s.N, s.H, s.T, s.m});
        sol.h = tensor(h.data(), {s.N, s.H, s.T + 1, s.n});
        sol.lambda = tensor(lam.data(), {s.N, s.H, s.T + 1, s.n});
    }
    Solution out;
    out.status = call_forward<R>(&p, &o, &sol);
    out.u1 = widen(u1), out.P0 = widen(P0);
    if (trajectory) out.u = widen(u), out.h = widen(h), out.lambda = widen(lam);
    return out;
}

// Upstream gradients: gu [N,H,Tu,m], gh [N,H,Th,n] (Tu, Th <= T; empty vectors mean absent).
struct Upstream {
    std::int64_t Tu = 0, Th = 0;
    Vec gu, gh;
};

inline Upstream random_upstream(Rng& rng, const ExplicitCase& c, std::int64_t Tu, std::int64_t Th) {
    Upstream up;
    up.Tu = Tu;
    up.Th = Th;
    up.gu.resize(c.problems() * Tu * c.shape.m);
    up.gh.resize(c.problems() * Th * c.shape.n);
    for (auto& v : up.gu) v = rng.normal();
    for (auto& v : up.gh) v = rng.normal();
    return up;
}

// Gradients of every input; with `sum_heads`, the gradients have head extent 1.
template <class R = double>
Grads gradients(const ExplicitCase& c, const Upstream& up, ttc_options o, bool sum_heads = false) {
    const auto& s = c.shape;
    const Typed<R> x(c);
    const ttc_explicit_problem p = describe(c, x);
    const std::vector<R> gu(up.gu.begin(), up.gu.end()), gh(up.gh.begin(), up.gh.end());
    ttc_upstream u{};
    if (!gu.empty() || up.Tu == 0) u.grad_u = tensor(gu.data(), {s.N, s.H, up.Tu, s.m});
    if (!gh.empty() || up.Th == 0) u.grad_h = tensor(gh.data(), {s.N, s.H, up.Th, s.n});
    const std::int64_t G = s.N * (sum_heads ? 1 : s.H), HG = sum_heads ? 1 : s.H;
    std::vector<R> ga(G * s.T * s.n), gB(G * s.T * s.n * s.m), gQ(G * s.T * s.n * s.n), grho(G * s.T * s.m),
        gh0(G * s.n), gq(G * s.T * s.n), gr(G * s.T * s.m);
    ttc_explicit_grads g{};
    g.a = tensor(ga.data(), {s.N, HG, s.T, s.n});
    g.B = tensor(gB.data(), {s.N, HG, s.T, s.n, s.m});
    g.Q = tensor(gQ.data(), {s.N, HG, s.T, s.n, s.n});
    g.rho = tensor(grho.data(), {s.N, HG, s.T, s.m});
    g.h0 = tensor(gh0.data(), {s.N, HG, s.n});
    g.q = tensor(gq.data(), {s.N, HG, s.T, s.n});
    g.r = tensor(gr.data(), {s.N, HG, s.T, s.m});
    Grads out;
    out.status = call_backward<R>(&p, &o, &u, &g);
    out.a = widen(ga), out.B = widen(gB), out.Q = widen(gQ), out.rho = widen(grho), out.h0 = widen(gh0),
    out.q = widen(gq), out.r = widen(gr);
    return out;
}

// Every gradient of x (Grads or DiscountedGrads) agrees with y's to `tol` in the DESIGN §0 measure.
template <class G>
void expect_grads_close(const G& x, const G& y, double tol) {
    const auto xs = x.named(), ys = y.named();
    for (std::size_t k = 0; k < xs.size(); ++k)
        EXPECT_LE(rel_error(*xs[k].values, *ys[k].values), tol) << "grad " << xs[k].name;
}

// Every gradient of x has the bits of y's.
template <class G>
void expect_grads_bitwise_equal(const G& x, const G& y, const std::string& what) {
    const auto xs = x.named(), ys = y.named();
    for (std::size_t k = 0; k < xs.size(); ++k)
        EXPECT_EQ(*xs[k].values, *ys[k].values) << what << ": grad " << xs[k].name;
}

}  // namespace ttc::test
