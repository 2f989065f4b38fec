// Value checks of one problem on the device, in the CPU backend's order (value_check.hpp): they run in their own
// launch before any solve, so a value error leaves every output untouched.
#pragma once

#include "../core/problem_slice.hpp"

namespace ttc::cuda {

using namespace ttc::core;

struct IsFinite {
    template <class R>
    __device__ bool operator()(R v) const { return is_finite_value(v); }
};
struct IsPositive {
    template <class R>
    __device__ bool operator()(R v) const { return v > R(0); }
};
struct IsNonZero {
    template <class R>
    __device__ bool operator()(R v) const { return v != R(0); }
};
struct IsNotPositive {  // log gamma <= 0 (E3)
    template <class R>
    __device__ bool operator()(R v) const { return v <= R(0); }
};

// True when every element of problem (token, head)'s slice of t satisfies rule (an absent tensor passes).
template <class R, class Rule>
__device__ bool all_elements(const ttc_tensor& t, idx token, idx head, Rule rule) {
    if (t.ndim == 0) return true;
    const Slice<const R> s = slice_of<const R>(t, token, head);
    const idx e0 = t.ndim > 2 ? t.shape[2] : 1, e1 = t.ndim > 3 ? t.shape[3] : 1, e2 = t.ndim > 4 ? t.shape[4] : 1;
    for (idx i0 = 0; i0 < e0; ++i0)
        for (idx i1 = 0; i1 < e1; ++i1)
            for (idx i2 = 0; i2 < e2; ++i2)
                if (!rule(s.base[i0 * s.s0 + i1 * s.s1 + i2 * s.s2])) return false;
    return true;
}

template <class R>
__device__ ttc_status check_upstream_values(const ttc_upstream& up, idx token, idx head) {
    if (!all_elements<R>(up.grad_u, token, head, IsFinite{})) return TTC_STATUS_NON_FINITE;
    if (!all_elements<R>(up.grad_h, token, head, IsFinite{})) return TTC_STATUS_NON_FINITE;
    return TTC_STATUS_OK;
}

template <class R>
__device__ ttc_status check_values(const ttc_explicit_problem& p, const Dims&, idx token, idx head) {
    const ttc_tensor* fields[] = {&p.a, &p.B, &p.Q, &p.rho, &p.h0, &p.q, &p.r};
    for (const ttc_tensor* t : fields)
        if (!all_elements<R>(*t, token, head, IsFinite{})) return TTC_STATUS_NON_FINITE;
    if (!all_elements<R>(p.rho, token, head, IsPositive{})) return TTC_STATUS_NON_POSITIVE_RHO;
    if (!all_elements<R>(p.a, token, head, IsNonZero{})) return TTC_STATUS_ZERO_DIAGONAL;
    return TTC_STATUS_OK;
}

template <class R>
__device__ ttc_status check_values(const ttc_discounted_problem& p, const Dims& d, idx token, idx head) {
    const ttc_tensor* fields[] = {&p.a, &p.log_gamma_a, &p.B, &p.log_gamma_b, &p.Q,
                                  &p.log_gamma_q, &p.Qf, &p.rho, &p.h0};
    for (const ttc_tensor* t : fields)
        if (!all_elements<R>(*t, token, head, IsFinite{})) return TTC_STATUS_NON_FINITE;
    if (!all_elements<R>(p.rho, token, head, IsPositive{})) return TTC_STATUS_NON_POSITIVE_RHO;
    const ttc_tensor* discounts[] = {&p.log_gamma_a, &p.log_gamma_b, &p.log_gamma_q};
    for (const ttc_tensor* t : discounts)
        if (!all_elements<R>(*t, token, head, IsNotPositive{})) return TTC_STATUS_INVALID_DISCOUNT;
    // (A_t)_ii = 1 + gamma_A^t a_i must not be 0 for any t = 1..T, computed as the solver computes it (E3).
    const R log_gamma_a = *slice_of<const R>(p.log_gamma_a, token, head).base;
    const Slice<const R> a = slice_of<const R>(p.a, token, head);
    for (idx t = 1; t <= d.T; ++t) {
        const R g = exp_value(R(t) * log_gamma_a);
        for (idx i = 0; i < d.n; ++i)
            if (R(1) + g * a.base[i * a.s0] == R(0)) return TTC_STATUS_ZERO_DIAGONAL;
    }
    return TTC_STATUS_OK;
}

}  // namespace ttc::cuda
