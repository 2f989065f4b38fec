// Value checks of one problem's inputs (NaN/Inf, rho > 0, non-zero diagonal), run before any output is written.
#pragma once

#include <cmath>
#include <sstream>
#include <string>

#include "failure.hpp"
#include "../core/problem_slice.hpp"

namespace ttc::cpu {

using core::Slice;
using core::slice_of;

inline std::string element_text(const char* name, std::int64_t token, std::int64_t head, std::int64_t H,
                                std::int64_t trailing_rank, const std::int64_t* index) {
    std::ostringstream s;
    s << "argument '" << name << "' at [token " << token << ", head " << head;
    for (std::int64_t i = 0; i < trailing_rank; ++i) s << ", " << index[i];
    s << "] (batch index " << token * H + head << ")";
    return s.str();
}

// Calls check(value) for every element of problem (token, head)'s slice of t. check returns nullptr when the value is
// fine, else the reason; the failure names the element.
template <class R, class Check>
Failure scan_values(const ttc_tensor& t, const char* name, ttc_status status, std::int64_t token, std::int64_t head,
                    std::int64_t H, Check check) {
    if (t.ndim == 0) return {};
    const Slice<const R> s = slice_of<const R>(t, token, head);
    std::int64_t extent[3] = {1, 1, 1};
    const std::int64_t trailing = t.ndim - 2;
    for (std::int64_t a = 0; a < trailing; ++a) extent[a] = t.shape[a + 2];
    for (std::int64_t i0 = 0; i0 < extent[0]; ++i0)
        for (std::int64_t i1 = 0; i1 < extent[1]; ++i1)
            for (std::int64_t i2 = 0; i2 < extent[2]; ++i2) {
                const R v = s.base[i0 * s.s0 + i1 * s.s1 + i2 * s.s2];
                if (const char* why = check(v)) {
                    const std::int64_t index[3] = {i0, i1, i2};
                    std::ostringstream msg;
                    msg << element_text(name, token, head, H, trailing, index) << " is " << v << ": " << why;
                    return fail(status, msg.str(), token * H + head);
                }
            }
    return {};
}

template <class R>
Failure check_finite(const ttc_tensor& t, const char* name, std::int64_t token, std::int64_t head, std::int64_t H) {
    return scan_values<R>(t, name, TTC_STATUS_NON_FINITE, token, head, H,
                          [](R v) { return std::isfinite(v) ? nullptr : "inputs must be finite"; });
}

template <class R>
Failure check_positive_rho(const ttc_tensor& t, const char* name, std::int64_t token, std::int64_t head,
                           std::int64_t H) {
    return scan_values<R>(t, name, TTC_STATUS_NON_POSITIVE_RHO, token, head, H,
                          [](R v) { return v > R(0) ? nullptr : "rho must be > 0 (R_t positive definite)"; });
}

}  // namespace ttc::cpu
