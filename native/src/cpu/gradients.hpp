// Gradients from the primal solution (h, u, lambda) and the adjoint solution (dh, du, dlambda) of DESIGN.md §4:
// E8 for the explicit form, and E8 chained through E3 for the discounted form.
#pragma once

#include "../core/hd.hpp"
#include "ttc/ttc.h"

namespace ttc::cpu {

using core::idx;

template <class R>
struct TrajectoryPair {
    idx n = 0, m = 0, T = 0;
    const R *h, *u, *lambda;     // primal: [T+1, n], [T, m], [T+1, n]
    const R *dh, *du, *dlambda;  // adjoint, same shapes
};

// Where one problem's gradient goes in a dense gradient tensor of head extent H or 1. With head extent 1 the heads
// of a token are summed in order 0..H-1: head 0 writes, later heads add.
template <class R>
struct GradTarget {
    R* base = nullptr;
    bool accumulate = false;

    explicit operator bool() const { return base != nullptr; }
    void put(idx offset, R value) const {
        if (accumulate) {
            base[offset] += value;
        } else {
            base[offset] = value;
        }
    }
};

template <class R>
GradTarget<R> grad_target(const ttc_tensor& t, idx token, idx head) {
    GradTarget<R> g;
    if (t.ndim == 0) return g;
    const bool summed = t.shape[1] == 1;
    g.base = static_cast<R*>(t.data) + token * t.strides[0] + (summed ? 0 : head * t.strides[1]);
    g.accumulate = summed && head > 0;
    return g;
}

// E8, per step t = 1..T: the explicit-form gradients of step t.
template <class R>
struct StepGradients {
    // dL/da_t[i] = lambda_t[i] dh_{t-1}[i] + dlambda_t[i] h_{t-1}[i]
    static R a(const TrajectoryPair<R>& x, idx t, idx i) {
        const idx n = x.n;
        return x.lambda[t * n + i] * x.dh[(t - 1) * n + i] + x.dlambda[t * n + i] * x.h[(t - 1) * n + i];
    }
    // dL/dB_t[i, j] = lambda_t[i] du_t[j] + dlambda_t[i] u_t[j]
    static R B(const TrajectoryPair<R>& x, idx t, idx i, idx j) {
        const idx n = x.n, m = x.m;
        return x.lambda[t * n + i] * x.du[(t - 1) * m + j] + x.dlambda[t * n + i] * x.u[(t - 1) * m + j];
    }
    // dL/dQ_t[i, j] = (h_t[i] dh_t[j] + dh_t[i] h_t[j]) / 2
    static R Q(const TrajectoryPair<R>& x, idx t, idx i, idx j) {
        const idx n = x.n;
        return R(0.5) * (x.h[t * n + i] * x.dh[t * n + j] + x.dh[t * n + i] * x.h[t * n + j]);
    }
    // dL/drho_t[j] = u_t[j] du_t[j]
    static R rho(const TrajectoryPair<R>& x, idx t, idx j) {
        return x.u[(t - 1) * x.m + j] * x.du[(t - 1) * x.m + j];
    }
};

}  // namespace ttc::cpu
