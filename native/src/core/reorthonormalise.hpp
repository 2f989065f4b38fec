// Re-orthonormalisation of the symplectic sweep state (DESIGN.md §3.2).
//
// Any invertible left factor M cancels in P = Y1^-1 Y2 and p = Y1^-1 y, provided y is transformed with it. We apply
// Gram-Schmidt to the rows of W = [Y1 | Y2] (twice, for orthogonality to working precision) and apply exactly the same
// row operations to the affine columns y. That is the QR of W' = Q_f R_f with [Y1|Y2] <- Q_f' and y <- R_f^-T y,
// without a triangular solve.
#pragma once

#include "dense.hpp"

namespace ttc::core {

// Y1, Y2: n x n row-major. y: k affine columns, column c stored contiguously at y + c * n.
// Returns false when a row collapses (norm zero or not finite): the state has lost rank.
template <class R>
TTC_HD bool reorthonormalise_rows(idx n, R* Y1, R* Y2, idx k, R* y) {
    for (idx i = 0; i < n; ++i) {
        R* w1 = Y1 + i * n;
        R* w2 = Y2 + i * n;
        for (int pass = 0; pass < 2; ++pass) {
            for (idx p = 0; p < i; ++p) {
                const R* v1 = Y1 + p * n;
                const R* v2 = Y2 + p * n;
                const R d = dot(n, w1, v1) + dot(n, w2, v2);
                for (idx j = 0; j < n; ++j) {
                    w1[j] -= d * v1[j];
                    w2[j] -= d * v2[j];
                }
                for (idx c = 0; c < k; ++c) y[c * n + i] -= d * y[c * n + p];
            }
        }
        const R norm = sqrt_value(dot(n, w1, w1) + dot(n, w2, w2));
        if (!(norm > R(0)) || !(norm - norm == R(0))) return false;
        const R inv = R(1) / norm;
        for (idx j = 0; j < n; ++j) {
            w1[j] *= inv;
            w2[j] *= inv;
        }
        for (idx c = 0; c < k; ++c) y[c * n + i] *= inv;
    }
    return true;
}

}  // namespace ttc::core
