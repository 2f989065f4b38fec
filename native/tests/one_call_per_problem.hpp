// Building the reference a batched call must match bitwise: each problem solved by its own ABI call (a batch of one
// never fills a group of lanes), with the results laid out as the batched call lays them out.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lqr_case.hpp"

namespace ttc::test {

// Problem b's part of an upstream in the layout random_upstream uses.
inline Upstream upstream_of_problem(const Upstream& up, std::int64_t n, std::int64_t m, std::int64_t b) {
    Upstream one = up;
    one.gu.assign(up.gu.begin() + b * up.Tu * m, up.gu.begin() + (b + 1) * up.Tu * m);
    one.gh.assign(up.gh.begin() + b * up.Th * n, up.gh.begin() + (b + 1) * up.Th * n);
    return one;
}

// Appends problem `one`'s outputs to `all`.
inline void append_solution(Solution& all, const Solution& one) {
    for (auto [to, from] : {std::pair{&all.u1, &one.u1}, {&all.P0, &one.P0}, {&all.u, &one.u}, {&all.h, &one.h},
                            {&all.lambda, &one.lambda}})
        to->insert(to->end(), from->begin(), from->end());
}

// Appends problem b's gradient `value` to `all` as a batched call with H heads lays it out: as it is, or, when
// `summed`, added over the heads of a token in R, head 0 first (head_sum carries the token's partial sum).
template <class R>
void append_gradient(Vec& all, std::vector<R>& head_sum, const Vec& value, std::int64_t b, std::int64_t H,
                     bool summed) {
    if (!summed) {
        all.insert(all.end(), value.begin(), value.end());
        return;
    }
    if (b % H == 0) head_sum.assign(value.begin(), value.end());
    else
        for (std::size_t e = 0; e < head_sum.size(); ++e) head_sum[e] += static_cast<R>(value[e]);
    if (b % H == H - 1) all.insert(all.end(), head_sum.begin(), head_sum.end());
}

// A failure message without the "problem b (token t, head h): " that names the problem.
inline std::string without_problem_name(const std::string& message) {
    const std::size_t named = message.rfind("problem ", 0) == 0 ? message.find("): ") : std::string::npos;
    return named == std::string::npos ? message : message.substr(named + 3);
}

// For failure messages of tests run with each solver.
inline const char* solver_name(ttc_solver solver) {
    return solver == TTC_SOLVER_RICCATI ? "Riccati" : "symplectic";
}

// A call's status with the thread's last error and batch index.
struct Outcome {
    ttc_status status;
    std::string error;
    std::int64_t index;
};

// Call right after the call that returned `status`.
inline Outcome outcome_of(ttc_status status) { return {status, ttc_last_error(), ttc_last_error_batch_index()}; }

// The batched call failed on problem `bad` with `expected`, as that problem's own call fails.
inline void expect_failure_of_problem(const Outcome& batched, const Outcome& alone, std::int64_t bad,
                                      ttc_status expected = TTC_STATUS_ILL_CONDITIONED) {
    EXPECT_EQ(batched.status, expected) << batched.error;
    EXPECT_EQ(batched.status, alone.status);
    EXPECT_EQ(batched.index, bad) << batched.error;
    EXPECT_EQ(without_problem_name(batched.error), without_problem_name(alone.error));
}

}  // namespace ttc::test
