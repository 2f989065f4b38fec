// Value checks of one problem's inputs (core/value_rules.hpp), run before any output is written, as a Failure whose
// message names the element.
#pragma once

#include <sstream>
#include <string>

#include "failure.hpp"
#include "../core/value_rules.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

inline std::string element_text(const core::ValueViolation& v, std::int64_t token, std::int64_t head,
                                std::int64_t H) {
    std::ostringstream s;
    s << "argument '" << v.name << "' at [token " << token << ", head " << head;
    for (std::int64_t i = 0; i < v.rank; ++i) s << ", " << v.index[i];
    s << "] (batch index " << token * H + head << ")";
    return s.str();
}

inline Failure value_failure(const core::ValueViolation& v, std::int64_t token, std::int64_t head, std::int64_t H) {
    if (!v.failed()) return {};
    std::ostringstream msg;
    msg << element_text(v, token, head, H);
    if (v.step > 0)
        msg << " gives (A_t)_ii = 1 + gamma_A^t a_i = 0 at step t = " << v.step << " (E3); " << v.reason;
    else
        msg << " is " << v.value << ": " << v.reason;
    return fail(v.status, msg.str(), token * H + head);
}

// The value checks of problem b, and of its upstream gradients when up is given.
template <class R, class Problem>
Failure check_problem_values(const Problem& p, const core::Dims& d, std::int64_t b, const ttc_upstream* up = nullptr) {
    const std::int64_t token = b / d.H, head = b % d.H;
    core::ValueViolation v = core::check_values<R>(p, d, token, head);
    if (!v.failed() && up != nullptr) v = core::check_upstream_values<R>(*up, token, head);
    return value_failure(v, token, head, d.H);
}

TTC_ISA_END
}  // namespace ttc::cpu
