// An independent reference built straight from E1-E2: the dense KKT system of one problem, solved by Gaussian
// elimination, and its implicit gradients dL/dtheta = -w' dF/dtheta with K w = dL/ds (K is symmetric).
//
// Unknowns s = [u_1..u_T, h_1..h_T, nu_1..nu_T] for the Lagrangian J + sum_t nu_t'(A_t h_{t-1} + B_t u_t - h_t):
//   F_u_t  = R_t u_t + r_t + B_t' nu_t
//   F_h_t  = Q_t h_t + q_t - nu_t + A_{t+1} nu_{t+1}      (no last term at t = T)
//   F_nu_t = A_t h_{t-1} + B_t u_t - h_t                    (h_0 given)
// so nu_t is the costate lambda_t of DESIGN.md §4.
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "lqr_case.hpp"

namespace ttc::test {

// One problem of a case, dense f64.
struct OneProblem {
    std::int64_t T, n, m;
    Vec a, B, Q, rho, h0, q, r;  // q, r zero-filled when absent
};

inline OneProblem extract(const ExplicitCase& c, std::int64_t b) {
    const auto& s = c.shape;
    const std::int64_t T = s.T, n = s.n, m = s.m, bq = s.broadcast_BQ ? b / s.H : b;
    auto part = [](const Vec& v, std::int64_t index, std::int64_t len) {
        return Vec(v.begin() + index * len, v.begin() + (index + 1) * len);
    };
    OneProblem p{T, n, m, part(c.a, b, T * n), part(c.B, bq, T * n * m), part(c.Q, bq, T * n * n),
                 part(c.rho, b, T * m), part(c.h0, b, n), Vec(T * n, 0.0), Vec(T * m, 0.0)};
    if (!c.q.empty()) p.q = part(c.q, b, T * n);
    if (!c.r.empty()) p.r = part(c.r, b, T * m);
    return p;
}

class DenseLu {
public:
    explicit DenseLu(std::vector<double> K, std::int64_t D) : lu_(std::move(K)), D_(D), piv_(D) {
        for (std::int64_t k = 0; k < D; ++k) {
            std::int64_t p = k;
            for (std::int64_t i = k + 1; i < D; ++i)
                if (std::fabs(lu_[i * D + k]) > std::fabs(lu_[p * D + k])) p = i;
            piv_[k] = p;
            if (p != k)
                for (std::int64_t j = 0; j < D; ++j) std::swap(lu_[k * D + j], lu_[p * D + j]);
            for (std::int64_t i = k + 1; i < D; ++i) {
                const double f = lu_[i * D + k] / lu_[k * D + k];
                lu_[i * D + k] = f;
                if (f != 0.0)
                    for (std::int64_t j = k + 1; j < D; ++j) lu_[i * D + j] -= f * lu_[k * D + j];
            }
        }
    }
    Vec solve(Vec x) const {
        for (std::int64_t k = 0; k < D_; ++k) std::swap(x[k], x[piv_[k]]);
        for (std::int64_t i = 0; i < D_; ++i)
            for (std::int64_t j = 0; j < i; ++j) x[i] -= lu_[i * D_ + j] * x[j];
        for (std::int64_t i = D_ - 1; i >= 0; --i) {
            for (std::int64_t j = i + 1; j < D_; ++j) x[i] -= lu_[i * D_ + j] * x[j];
            x[i] /= lu_[i * D_ + i];
        }
        return x;
    }

private:
    std::vector<double> lu_;
    std::int64_t D_;
    std::vector<std::int64_t> piv_;
};

struct KktSolution {
    Vec u1, u, h, lambda, P0;  // h, lambda include t = 0
};

class KktReference {
public:
    explicit KktReference(const OneProblem& p) : p_(p), D_(p.T * (p.m + 2 * p.n)), lu_(build(), D_) {}

    KktSolution solve() const {
        const std::int64_t T = p_.T, n = p_.n, m = p_.m;
        KktSolution out;
        const Vec s = lu_.solve(rhs(p_.h0, true));
        out.u.assign(s.begin(), s.begin() + T * m);
        out.u1.assign(m, 0.0);
        if (T > 0) out.u1.assign(s.begin(), s.begin() + m);
        out.h = p_.h0;
        out.h.insert(out.h.end(), s.begin() + T * m, s.begin() + T * (m + n));
        const Vec lam0 = lambda0(s);
        out.lambda = lam0;
        out.lambda.insert(out.lambda.end(), s.begin() + T * (m + n), s.end());
        // P_0 = d lambda_0 / d h_0: the response to unit initial states with the linear costs off.
        out.P0.assign(n * n, 0.0);
        for (std::int64_t j = 0; j < n && T > 0; ++j) {
            Vec e(n, 0.0);
            e[j] = 1.0;
            const Vec col = lambda0(lu_.solve(rhs(e, false)));
            for (std::int64_t i = 0; i < n; ++i) out.P0[i * n + j] = col[i];
        }
        return out;
    }

    // Implicit gradients of L = <gu, u_{1..Tu}> + <gh, h_{1..Th}> for every input, in the layout of OneProblem.
    OneProblem gradients(const Upstream& up, std::int64_t b) const {
        const std::int64_t T = p_.T, n = p_.n, m = p_.m;
        OneProblem g{T, n, m, Vec(T * n, 0.0), Vec(T * n * m, 0.0), Vec(T * n * n, 0.0), Vec(T * m, 0.0),
                     Vec(n, 0.0), Vec(T * n, 0.0), Vec(T * m, 0.0)};
        if (T == 0) return g;
        const Vec s = lu_.solve(rhs(p_.h0, true));
        Vec c(D_, 0.0);
        for (std::int64_t t = 0; t < up.Tu; ++t)
            for (std::int64_t j = 0; j < m; ++j) c[iu(t, j)] = up.gu[(b * up.Tu + t) * m + j];
        for (std::int64_t t = 0; t < up.Th; ++t)
            for (std::int64_t i = 0; i < n; ++i) c[ih(t, i)] = up.gh[(b * up.Th + t) * n + i];
        const Vec w = lu_.solve(c);
        auto h_prev = [&](std::int64_t t, std::int64_t i) { return t == 0 ? p_.h0[i] : s[ih(t - 1, i)]; };
        for (std::int64_t t = 0; t < T; ++t) {
            for (std::int64_t j = 0; j < m; ++j) {
                g.rho[t * m + j] = -w[iu(t, j)] * s[iu(t, j)];
                g.r[t * m + j] = -w[iu(t, j)];
            }
            for (std::int64_t i = 0; i < n; ++i) {
                for (std::int64_t j = 0; j < m; ++j)
                    g.B[(t * n + i) * m + j] = -(w[iu(t, j)] * s[inu(t, i)] + w[inu(t, i)] * s[iu(t, j)]);
                for (std::int64_t j = 0; j < n; ++j)
                    g.Q[(t * n + i) * n + j] =
                        -0.5 * (w[ih(t, i)] * s[ih(t, j)] + w[ih(t, j)] * s[ih(t, i)]);
                g.q[t * n + i] = -w[ih(t, i)];
                double ga = -w[inu(t, i)] * h_prev(t, i);
                if (t > 0) ga -= w[ih(t - 1, i)] * s[inu(t, i)];
                g.a[t * n + i] = ga;
            }
        }
        for (std::int64_t i = 0; i < n; ++i) g.h0[i] = -w[inu(0, i)] * p_.a[i];
        return g;
    }

private:
    std::int64_t iu(std::int64_t t, std::int64_t j) const { return t * p_.m + j; }
    std::int64_t ih(std::int64_t t, std::int64_t i) const { return p_.T * p_.m + t * p_.n + i; }
    std::int64_t inu(std::int64_t t, std::int64_t i) const { return p_.T * (p_.m + p_.n) + t * p_.n + i; }

    std::vector<double> build() const {
        const std::int64_t T = p_.T, n = p_.n, m = p_.m, D = D_;
        std::vector<double> K(D * D, 0.0);
        auto at = [&](std::int64_t i, std::int64_t j) -> double& { return K[i * D + j]; };
        for (std::int64_t t = 0; t < T; ++t) {
            for (std::int64_t j = 0; j < m; ++j) at(iu(t, j), iu(t, j)) = p_.rho[t * m + j];
            for (std::int64_t i = 0; i < n; ++i) {
                for (std::int64_t j = 0; j < m; ++j) {
                    at(iu(t, j), inu(t, i)) = p_.B[(t * n + i) * m + j];
                    at(inu(t, i), iu(t, j)) = p_.B[(t * n + i) * m + j];
                }
                for (std::int64_t j = 0; j < n; ++j)
                    at(ih(t, i), ih(t, j)) = 0.5 * (p_.Q[(t * n + i) * n + j] + p_.Q[(t * n + j) * n + i]);
                at(ih(t, i), inu(t, i)) = -1.0;
                at(inu(t, i), ih(t, i)) = -1.0;
                if (t + 1 < T) {
                    at(ih(t, i), inu(t + 1, i)) = p_.a[(t + 1) * n + i];
                    at(inu(t + 1, i), ih(t, i)) = p_.a[(t + 1) * n + i];
                }
            }
        }
        return K;
    }

    // -b(theta): the right-hand side for initial state h0, with or without the linear costs.
    Vec rhs(const Vec& h0, bool linear) const {
        const std::int64_t T = p_.T, n = p_.n, m = p_.m;
        Vec b(D_, 0.0);
        for (std::int64_t t = 0; t < T && linear; ++t) {
            for (std::int64_t j = 0; j < m; ++j) b[iu(t, j)] = -p_.r[t * m + j];
            for (std::int64_t i = 0; i < n; ++i) b[ih(t, i)] = -p_.q[t * n + i];
        }
        for (std::int64_t i = 0; i < n && T > 0; ++i) b[inu(0, i)] = -p_.a[i] * h0[i];
        return b;
    }

    // lambda_0 = A_1' lambda_1.
    Vec lambda0(const Vec& s) const {
        Vec l(p_.n, 0.0);
        for (std::int64_t i = 0; i < p_.n && p_.T > 0; ++i) l[i] = p_.a[i] * s[inu(0, i)];
        return l;
    }

    OneProblem p_;
    std::int64_t D_;
    DenseLu lu_;
};

}  // namespace ttc::test
