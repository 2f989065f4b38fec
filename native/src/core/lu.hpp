// LU with partial pivoting for the n x n solves of E6, E7 and E9, split over a team by rows, or by elements for the
// trailing update of a team that splits elements (team.hpp).
#pragma once

#include "substitution.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// Swaps lane l of a and b (a row interchange of one lane's problem).
template <class R>
TTC_HD void swap_lane(R& a, R& b, idx l) {
    const auto t = lane(a, l);
    lane(a, l) = lane(b, l);
    lane(b, l) = t;
}

// Factors M (n x n, leading dimension ld) in place as P M = L U. Returns false when a pivot is zero or negligible
// (|pivot| <= n * eps * max|M|) or not finite: the matrix is singular to working precision. Every rank finds the same
// pivots (from synchronised data), so every rank returns the same answer. Each lane of R (hd.hpp) pivots on its own:
// pivots[k * lanes + l] is lane l's row k; then the elimination is the same arithmetic on every lane.
template <class Team, class R>
TTC_HD bool lu_factor(const Team& team, idx n, R* M, idx ld, int* pivots) {
    using S = typename lane_traits<R>::scalar;
    constexpr idx lanes = lane_traits<R>::count;
    R scale = R(0);
    for (idx i = 0; i < n; ++i)
        for (idx j = 0; j < n; ++j) scale = max_value(scale, abs_value(M[i * ld + j]));
    if (!positive_and_finite(scale)) return false;
    const R tiny = R(n) * R(numeric_limits_lite<S>::epsilon) * scale;
    for (idx k = 0; k < n; ++k) {
        idx chosen[lanes];
        bool swaps = false;
        for (idx l = 0; l < lanes; ++l) {
            idx p = k;
            S best = abs_value(lane(M[k * ld + k], l));
            for (idx i = k + 1; i < n; ++i) {
                const S v = abs_value(lane(M[i * ld + k], l));
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            if (!(best > lane(tiny, l))) return false;
            chosen[l] = p;
            swaps = swaps || p != k;
        }
        team.sync();  // every rank has read column k before rows move
        if (is_leader(team))
            for (idx l = 0; l < lanes; ++l) pivots[k * lanes + l] = static_cast<int>(chosen[l]);
        if (swaps) {
            each(team, n, [&](idx j) {
                for (idx l = 0; l < lanes; ++l)
                    if (chosen[l] != k) swap_lane(M[k * ld + j], M[chosen[l] * ld + j], l);
            });
            team.sync();
        }
        const R inv = R(1) / M[k * ld + k];
        const R* pivot_row = M + k * ld;
        const idx later = n - k - 1;
        if constexpr (Team::kSplitsElements) {  // multipliers first, then the trailing update element by element
            each(team, later, [&](idx r) { M[(k + 1 + r) * ld + k] *= inv; });
            team.sync();
            each_element(team, later, later, [&](idx r, idx c) {
                R* row = M + (k + 1 + r) * ld;
                subtract_product(row[k + 1 + c], row[k], pivot_row[k + 1 + c]);
            });
        } else {
            each(team, later, [&](idx r) {
                R* row = M + (k + 1 + r) * ld;
                const R f = row[k] * inv;
                row[k] = f;
                for (idx j = k + 1; j < n; ++j) subtract_product(row[j], f, pivot_row[j]);
            });
        }
        team.sync();
    }
    return true;
}

// Solves M X = B in place for `cols` right-hand sides stored as the columns of X (n x cols, leading dimension ldx),
// with the pivots as lu_factor wrote them.
// Column-oriented substitution: step p finishes row p of X, then removes it from the rows still to come.
template <class Team, class R>
TTC_HD void lu_solve(const Team& team, idx n, const R* LU, idx ld, const int* pivots, idx cols, R* X, idx ldx) {
    constexpr idx lanes = lane_traits<R>::count;
    each(team, cols, [&](idx j) {
        for (idx k = 0; k < n; ++k)
            for (idx l = 0; l < lanes; ++l) {
                const idx p = pivots[k * lanes + l];
                if (p != k) swap_lane(X[k * ldx + j], X[p * ldx + j], l);
            }
    });
    team.sync();
    for (idx p = 0; p < n; ++p)  // L Z = P B, L unit lower
        eliminate_row(team, p, p + 1, n - p - 1, [LU, ld, p](idx i) -> const R& { return LU[i * ld + p]; }, cols, X, ldx);
    for (idx p = n - 1; p >= 0; --p) {  // U X = Z
        scale_row(team, p, R(1) / LU[p * ld + p], cols, X, ldx);
        eliminate_row(team, p, 0, p, [LU, ld, p](idx i) -> const R& { return LU[i * ld + p]; }, cols, X, ldx);
    }
}

TTC_ISA_END
}  // namespace ttc::core
