// Cholesky factorisation of S_t = R_t + B_t' P_t B_t (E4); failure means the problem is not convex.
#pragma once

#include "hd.hpp"

namespace ttc::core {

// Overwrites the lower triangle of S (m x m) with L, S = L L'. Returns false when S is not positive definite.
template <class R>
TTC_HD bool cholesky_factor(idx m, R* S, idx ld) {
    for (idx j = 0; j < m; ++j) {
        R d = S[j * ld + j];
        for (idx p = 0; p < j; ++p) d -= S[j * ld + p] * S[j * ld + p];
        if (!(d > R(0))) return false;
        const R l = sqrt_value(d);
        S[j * ld + j] = l;
        const R inv = R(1) / l;
        for (idx i = j + 1; i < m; ++i) {
            R s = S[i * ld + j];
            for (idx p = 0; p < j; ++p) s -= S[i * ld + p] * S[j * ld + p];
            S[i * ld + j] = s * inv;
        }
    }
    return true;
}

// Solves L L' X = B in place for `cols` right-hand sides stored as the columns of X (m x cols, leading dim ldx).
template <class R>
TTC_HD void cholesky_solve(idx m, const R* L, idx ld, idx cols, R* X, idx ldx) {
    for (idx i = 0; i < m; ++i) {
        for (idx p = 0; p < i; ++p) {
            const R f = L[i * ld + p];
            for (idx j = 0; j < cols; ++j) X[i * ldx + j] -= f * X[p * ldx + j];
        }
        const R inv = R(1) / L[i * ld + i];
        for (idx j = 0; j < cols; ++j) X[i * ldx + j] *= inv;
    }
    for (idx i = m - 1; i >= 0; --i) {
        for (idx p = i + 1; p < m; ++p) {
            const R f = L[p * ld + i];
            for (idx j = 0; j < cols; ++j) X[i * ldx + j] -= f * X[p * ldx + j];
        }
        const R inv = R(1) / L[i * ld + i];
        for (idx j = 0; j < cols; ++j) X[i * ldx + j] *= inv;
    }
}

}  // namespace ttc::core
