// Value checks of one problem's inputs, in the order both backends apply them: every tensor finite, rho > 0, a
// non-zero diagonal of A_t, log gamma <= 0 (E3). The result is plain data: the CPU backend turns it into a message
// that names the element, the CUDA backend into its device status word.
#pragma once

#include "problem_setup.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

enum class ValueRule { Finite, PositiveRho, NonZeroDiagonal, NonPositiveLogGamma };

// The first element of a problem's inputs that breaks a rule; status TTC_STATUS_OK when none does.
struct ValueViolation {
    ttc_status status = TTC_STATUS_OK;
    const char* name = nullptr;    // the argument, as the ABI names it
    const char* reason = nullptr;  // why the value is refused
    idx rank = 0;                  // how many of index[] locate the element in the problem's slice
    idx index[3] = {0, 0, 0};
    double value = 0;
    idx step = 0;  // the discounted form's step t at which (A_t)_ii = 1 + gamma_A^t a_i = 0 (E3), else 0

    TTC_HD bool failed() const { return status != TTC_STATUS_OK; }
};

template <class R>
TTC_HD bool satisfies(ValueRule rule, R v) {
    switch (rule) {
        case ValueRule::Finite: return is_finite_value(v);
        case ValueRule::PositiveRho: return v > R(0);
        case ValueRule::NonZeroDiagonal: return v != R(0);
        case ValueRule::NonPositiveLogGamma: return v <= R(0);
    }
    return false;
}

TTC_HD ValueViolation violation_of(ValueRule rule, const char* name) {
    ValueViolation v;
    v.name = name;
    switch (rule) {
        case ValueRule::Finite:
            v.status = TTC_STATUS_NON_FINITE;
            v.reason = "inputs must be finite";
            break;
        case ValueRule::PositiveRho:
            v.status = TTC_STATUS_NON_POSITIVE_RHO;
            v.reason = "rho must be > 0 (R_t positive definite)";
            break;
        case ValueRule::NonZeroDiagonal:
            v.status = TTC_STATUS_ZERO_DIAGONAL;
            v.reason = "A_t must have a non-zero diagonal";
            break;
        case ValueRule::NonPositiveLogGamma:
            v.status = TTC_STATUS_INVALID_DISCOUNT;
            v.reason = "log gamma must be <= 0 (E3)";
            break;
    }
    return v;
}

// The first element of problem (token, head)'s slice of t that breaks rule (an absent tensor passes).
template <class R>
TTC_HD ValueViolation scan_values(const ttc_tensor& t, const char* name, ValueRule rule, idx token, idx head) {
    if (t.ndim == 0) return {};
    const Slice<const R> s = slice_of<const R>(t, token, head);
    const idx rank = t.ndim - 2;
    const idx e0 = rank > 0 ? t.shape[2] : 1, e1 = rank > 1 ? t.shape[3] : 1, e2 = rank > 2 ? t.shape[4] : 1;
    for (idx i0 = 0; i0 < e0; ++i0)
        for (idx i1 = 0; i1 < e1; ++i1)
            for (idx i2 = 0; i2 < e2; ++i2) {
                const R v = s.base[i0 * s.s0 + i1 * s.s1 + i2 * s.s2];
                if (satisfies(rule, v)) continue;
                ValueViolation f = violation_of(rule, name);
                f.rank = rank;
                f.index[0] = i0;
                f.index[1] = i1;
                f.index[2] = i2;
                f.value = static_cast<double>(v);
                return f;
            }
    return {};
}

struct NamedTensor {
    const ttc_tensor* tensor;
    const char* name;
};

template <class R, int Count>
TTC_HD ValueViolation scan_all(const NamedTensor (&fields)[Count], ValueRule rule, idx token, idx head) {
    for (const NamedTensor& f : fields) {
        const ValueViolation v = scan_values<R>(*f.tensor, f.name, rule, token, head);
        if (v.failed()) return v;
    }
    return {};
}

template <class R>
TTC_HD ValueViolation check_upstream_values(const ttc_upstream& up, idx token, idx head) {
    const NamedTensor fields[] = {{&up.grad_u, "grad_u"}, {&up.grad_h, "grad_h"}};
    return scan_all<R>(fields, ValueRule::Finite, token, head);
}

template <class R>
TTC_HD ValueViolation check_values(const ttc_explicit_problem& p, const Dims&, idx token, idx head) {
    const NamedTensor fields[] = {{&p.a, "a"},   {&p.B, "B"}, {&p.Q, "Q"}, {&p.rho, "rho"},
                                  {&p.h0, "h0"}, {&p.q, "q"}, {&p.r, "r"}};
    ValueViolation v = scan_all<R>(fields, ValueRule::Finite, token, head);
    if (!v.failed()) v = scan_values<R>(p.rho, "rho", ValueRule::PositiveRho, token, head);
    if (!v.failed()) v = scan_values<R>(p.a, "a", ValueRule::NonZeroDiagonal, token, head);
    return v;
}

template <class R>
TTC_HD ValueViolation check_values(const ttc_discounted_problem& p, const Dims& d, idx token, idx head) {
    const NamedTensor fields[] = {{&p.a, "a"},     {&p.log_gamma_a, "log_gamma_a"}, {&p.B, "B"},
                                  {&p.log_gamma_b, "log_gamma_b"},  {&p.Q, "Q"},    {&p.log_gamma_q, "log_gamma_q"},
                                  {&p.Qf, "Qf"},   {&p.rho, "rho"}, {&p.h0, "h0"}};
    const NamedTensor discounts[] = {
        {&p.log_gamma_a, "log_gamma_a"}, {&p.log_gamma_b, "log_gamma_b"}, {&p.log_gamma_q, "log_gamma_q"}};
    ValueViolation v = scan_all<R>(fields, ValueRule::Finite, token, head);
    if (!v.failed()) v = scan_values<R>(p.rho, "rho", ValueRule::PositiveRho, token, head);
    if (!v.failed()) v = scan_all<R>(discounts, ValueRule::NonPositiveLogGamma, token, head);
    if (v.failed()) return v;
    // (A_t)_ii = 1 + gamma_A^t a_i must not be 0 for any t = 1..T, computed as the solver computes it (E3).
    const R log_gamma_a = *slice_of<const R>(p.log_gamma_a, token, head).base;
    const Slice<const R> a = slice_of<const R>(p.a, token, head);
    for (idx t = 1; t <= d.T; ++t) {
        const R g = exp_value(R(t) * log_gamma_a);
        for (idx i = 0; i < d.n; ++i) {
            if (R(1) + g * a.base[i * a.s0] != R(0)) continue;
            v = violation_of(ValueRule::NonZeroDiagonal, "a");
            v.rank = 1;
            v.index[0] = i;
            v.value = static_cast<double>(a.base[i * a.s0]);
            v.step = t;
            return v;
        }
    }
    return v;
}

TTC_ISA_END
}  // namespace ttc::core
