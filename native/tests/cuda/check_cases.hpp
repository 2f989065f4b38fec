// The random problems ttc_cuda_check runs (issue: both |a| regimes, a discounted gamma_A -> 1 case with a = -e_i,
// T from 1 to 2048, n, m in {1, 8, 16, 64} with m != n), as named f64 arrays in the ABI's dense layout.
#pragma once

#include <cmath>
#include <random>
#include <string>

#include "check_arrays.hpp"

namespace ttc::check {

enum class Regime { Symplectic, SmallA, DiscountedTypical, DiscountedGammaToOne };

struct CaseSpec {
    Regime regime;
    std::int64_t N, H, T, n, m;
    bool broadcast_BQ = false;  // B and Q shared by the heads of a token; their gradients summed over heads
};

struct CaseData {
    CaseSpec spec;
    bool discounted = false;
    std::map<std::string, std::pair<ArraySpec, Vec>> inputs;
    std::map<std::string, std::pair<ArraySpec, Vec>> upstream;

    std::string label() const {
        static const char* names[] = {"explicit", "explicit-small-a", "discounted", "discounted-gamma-to-1"};
        const CaseSpec& s = spec;
        return std::string(names[static_cast<int>(s.regime)]) + " N=" + std::to_string(s.N) + " H=" +
               std::to_string(s.H) + " T=" + std::to_string(s.T) + " n=" + std::to_string(s.n) + " m=" +
               std::to_string(s.m) + (s.broadcast_BQ ? " shared-B,Q" : "");
    }
};

class CaseRandom {
public:
    explicit CaseRandom(std::uint64_t seed) : engine_(seed) {}
    double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(engine_); }
    double normal() { return std::normal_distribution<double>(0.0, 1.0)(engine_); }
    Vec normals(std::int64_t count, double scale) {
        Vec v(count);
        for (double& x : v) x = scale * normal();
        return v;
    }
    // count symmetric PSD n x n blocks, M M'/n + 0.05 I.
    Vec psd_blocks(std::int64_t count, std::int64_t n) {
        Vec out(count * n * n);
        for (std::int64_t b = 0; b < count; ++b) {
            const Vec M = normals(n * n, 1.0);
            for (std::int64_t i = 0; i < n; ++i)
                for (std::int64_t j = 0; j < n; ++j) {
                    double s = 0;
                    for (std::int64_t k = 0; k < n; ++k) s += M[i * n + k] * M[j * n + k];
                    out[(b * n + i) * n + j] = s / n + (i == j ? 0.05 : 0.0);
                }
        }
        return out;
    }

private:
    std::mt19937_64 engine_;
};

inline CaseData make_case(const CaseSpec& s, std::uint64_t seed) {
    CaseRandom rng(seed);
    CaseData c;
    c.spec = s;
    const std::int64_t N = s.N, H = s.H, T = s.T, n = s.n, m = s.m, P = N * H;
    const std::int64_t BQ = s.broadcast_BQ ? N : P;
    auto add = [&](const std::string& name, Shape shape, Vec values, bool broadcast = false) {
        c.inputs[name] = {ArraySpec{std::move(shape), broadcast}, std::move(values)};
    };
    c.discounted = s.regime == Regime::DiscountedTypical || s.regime == Regime::DiscountedGammaToOne;
    if (!c.discounted) {
        Vec a(P * T * n);
        for (double& v : a) v = (rng.normal() < 0 ? -1.0 : 1.0) * rng.uniform(0.75, 1.25);
        if (s.regime == Regime::SmallA)
            for (std::int64_t p = 0; p < P; ++p) a[(p * T + T / 2) * n] = 1e-6;  // below both taus (§3.2)
        add("a", {N, H, T, n}, a);
        add("B", {N, H, T, n, m}, rng.normals(BQ * T * n * m, 1.0 / std::sqrt(double(n))), s.broadcast_BQ);
        add("Q", {N, H, T, n, n}, rng.psd_blocks(BQ * T, n), s.broadcast_BQ);
        Vec rho(P * T * m);
        for (double& v : rho) v = rng.uniform(0.5, 2.0);
        add("rho", {N, H, T, m}, rho);
        add("h0", {N, H, n}, rng.normals(P * n, 1.0));
        add("q", {N, H, T, n}, rng.normals(P * T * n, 0.3));
        add("r", {N, H, T, m}, rng.normals(P * T * m, 0.3));
    } else {
        // The TTC layer's parameterisation (DESIGN.md §5, §7): a = l2norm(raw), log gamma = -softplus(N(0,1)) - 1.328.
        auto log_gamma = [&]() { return -std::log1p(std::exp(rng.normal())) - 1.328; };
        Vec a(P * n), lga(P), lgb(P * m), lgq(P * n), rho(P * m);
        for (std::int64_t p = 0; p < P; ++p) {
            double norm = 0;
            for (std::int64_t i = 0; i < n; ++i) norm += (a[p * n + i] = rng.normal()) * a[p * n + i];
            for (std::int64_t i = 0; i < n; ++i) a[p * n + i] /= std::sqrt(norm);
            lga[p] = log_gamma();
            if (s.regime == Regime::DiscountedGammaToOne) {
                for (std::int64_t i = 0; i < n; ++i) a[p * n + i] = i == p % n ? -1.0 : 0.0;  // a = -e_i
                lga[p] = -1e-3;  // gamma_A -> 1: (A_t)_ii = 1 - gamma_A^t is small for small t
            }
        }
        for (double& v : lgb) v = log_gamma();
        for (double& v : lgq) v = log_gamma();
        for (double& v : rho) v = rng.uniform(1.0, 4.0);
        add("a", {N, H, n}, a);
        add("log_gamma_a", {N, H}, lga);
        add("B", {N, H, n, m}, rng.normals(BQ * n * m, 1.0 / std::sqrt(double(n))), s.broadcast_BQ);
        add("log_gamma_b", {N, H, m}, lgb);
        add("Q", {N, H, n, n}, rng.psd_blocks(BQ, n), s.broadcast_BQ);
        add("log_gamma_q", {N, H, n}, lgq);
        add("Qf", {N, H, n, n}, rng.psd_blocks(P, n));
        add("rho", {N, H, m}, rho);
        add("h0", {N, H, n}, rng.normals(P * n, 1.0));
    }
    c.upstream["grad_u"] = {ArraySpec{{N, H, T, m}}, rng.normals(P * T * m, 1.0)};
    c.upstream["grad_h"] = {ArraySpec{{N, H, T, n}}, rng.normals(P * T * n, 0.5)};
    return c;
}

}  // namespace ttc::check
