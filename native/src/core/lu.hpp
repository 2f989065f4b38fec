// LU with partial pivoting for the n x n solves of E6, E7 and E9.
#pragma once

#include "hd.hpp"

namespace ttc::core {

// Factors M (n x n, leading dimension ld) in place as P M = L U. Returns false when a pivot is zero or negligible
// (|pivot| <= n * eps * max|M|) or not finite: the matrix is singular to working precision.
template <class R>
TTC_HD bool lu_factor(idx n, R* M, idx ld, int* pivots) {
    R scale = R(0);
    for (idx i = 0; i < n; ++i)
        for (idx j = 0; j < n; ++j) scale = max_value(scale, abs_value(M[i * ld + j]));
    if (!(scale > R(0)) || !(scale - scale == R(0))) return false;
    const R tiny = R(n) * numeric_limits_lite<R>::epsilon * scale;
    for (idx k = 0; k < n; ++k) {
        idx p = k;
        R best = abs_value(M[k * ld + k]);
        for (idx i = k + 1; i < n; ++i) {
            const R v = abs_value(M[i * ld + k]);
            if (v > best) {
                best = v;
                p = i;
            }
        }
        if (!(best > tiny)) return false;
        pivots[k] = static_cast<int>(p);
        if (p != k)
            for (idx j = 0; j < n; ++j) {
                const R t = M[k * ld + j];
                M[k * ld + j] = M[p * ld + j];
                M[p * ld + j] = t;
            }
        const R inv = R(1) / M[k * ld + k];
        for (idx i = k + 1; i < n; ++i) {
            R* row = M + i * ld;
            const R f = row[k] * inv;
            row[k] = f;
            const R* pivot_row = M + k * ld;
            for (idx j = k + 1; j < n; ++j) row[j] -= f * pivot_row[j];
        }
    }
    return true;
}

// Solves M X = B in place for `cols` right-hand sides stored as the columns of X (n x cols, leading dimension ldx).
template <class R>
TTC_HD void lu_solve(idx n, const R* LU, idx ld, const int* pivots, idx cols, R* X, idx ldx) {
    for (idx k = 0; k < n; ++k) {
        const idx p = pivots[k];
        if (p != k)
            for (idx j = 0; j < cols; ++j) {
                const R t = X[k * ldx + j];
                X[k * ldx + j] = X[p * ldx + j];
                X[p * ldx + j] = t;
            }
    }
    for (idx i = 0; i < n; ++i)
        for (idx p = 0; p < i; ++p) {
            const R f = LU[i * ld + p];
            for (idx j = 0; j < cols; ++j) X[i * ldx + j] -= f * X[p * ldx + j];
        }
    for (idx i = n - 1; i >= 0; --i) {
        for (idx p = i + 1; p < n; ++p) {
            const R f = LU[i * ld + p];
            for (idx j = 0; j < cols; ++j) X[i * ldx + j] -= f * X[p * ldx + j];
        }
        const R inv = R(1) / LU[i * ld + i];
        for (idx j = 0; j < cols; ++j) X[i * ldx + j] *= inv;
    }
}

}  // namespace ttc::core
