// Re-orthonormalisation of the symplectic sweep state (DESIGN.md §3.2).
//
// Any invertible left factor M cancels in P = Y1^-1 Y2 and p = Y1^-1 y, provided y is transformed with it. We run
// one pass of modified Gram-Schmidt over the rows of W = [Y1 | Y2], then scale each row to unit norm, and apply
// exactly the same row operations to the affine columns y. That is the QR of W' = Q_f R_f with [Y1|Y2] <- Q_f' and
// y <- R_f^-T y, without a triangular solve. Right-looking: once row i is final, the team removes it from every later
// row at once.
// One pass, not two: the new rows need to be well conditioned, not orthogonal to working precision, because M cancels
// whatever it is. One pass leaves them orthogonal to about eps * cond(W), and W is one step away from orthonormal.
// Measured against Riccati (ttc_accuracy, docs/BENCHMARKS.md): within DESIGN.md §0's regimes the errors stay where
// two passes had them.
#pragma once

#include "dense.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// Removes final row i (v1 | v2, 1 / squared norm = inv_norm2) from rows i+1..n-1 and their affine columns:
//   w -= d_row v with d_row = (w1 . v1 + w2 . v2) / |v|^2.
// The row form (team.hpp) does one row per rank at a time; the element form first computes every d_row into
// scratch (a rank per row), then updates every element (consecutive elements to consecutive ranks).
template <class Team, class R>
TTC_HD void remove_final_row(const Team& team, idx n, R* Y1, R* Y2, idx k, R* y, idx i, R inv_norm2, R* scratch) {
    const R* v1 = Y1 + i * n;
    const R* v2 = Y2 + i * n;
    const idx later = n - i - 1;
    auto coefficient = [&](idx row) { return (dot(n, Y1 + row * n, v1) + dot(n, Y2 + row * n, v2)) * inv_norm2; };
    if constexpr (Team::kSplitsElements) {
        each(team, later, [&](idx r) { scratch[r] = coefficient(i + 1 + r); });
        team.sync();
        const idx width = 2 * n + k;  // a row of [Y1 | Y2 | y]
        each_element(team, later, width, [&](idx r, idx col) {
            const idx row = i + 1 + r;
            const R d = scratch[r];
            if (col < n) {
                Y1[row * n + col] -= d * v1[col];
            } else if (col < 2 * n) {
                Y2[row * n + col - n] -= d * v2[col - n];
            } else {
                const idx c = col - 2 * n;
                y[c * n + row] -= d * y[c * n + i];
            }
        });
    } else {
        each(team, later, [&](idx r) {
            const idx row = i + 1 + r;
            R* w1 = Y1 + row * n;
            R* w2 = Y2 + row * n;
            const R d = coefficient(row);
            for (idx j = 0; j < n; ++j) {
                w1[j] -= d * v1[j];
                w2[j] -= d * v2[j];
            }
            for (idx c = 0; c < k; ++c) y[c * n + row] -= d * y[c * n + i];
        });
    }
    team.sync();
}

// Y1, Y2: n x n row-major. y: k affine columns, column c stored contiguously at y + c * n. Scratch: n.
// Returns false when a row collapses (norm zero or not finite): the state has lost rank.
template <class Team, class R>
TTC_HD bool reorthonormalise_rows(const Team& team, idx n, R* Y1, R* Y2, idx k, R* y, R* scratch) {
    for (idx i = 0; i < n; ++i) {
        const R* v1 = Y1 + i * n;
        const R* v2 = Y2 + i * n;
        const R norm2 = dot(n, v1, v1) + dot(n, v2, v2);
        if (!positive_and_finite(norm2)) return false;
        remove_final_row(team, n, Y1, Y2, k, y, i, R(1) / norm2, scratch);
    }
    // Every row's norm was checked above, after its last change.
    each(team, n, [&](idx i) {
        R* w1 = Y1 + i * n;
        R* w2 = Y2 + i * n;
        const R inv = R(1) / sqrt_value(dot(n, w1, w1) + dot(n, w2, w2));
        for (idx j = 0; j < n; ++j) {
            w1[j] *= inv;
            w2[j] *= inv;
        }
        for (idx c = 0; c < k; ++c) y[c * n + i] *= inv;
    });
    team.sync();
    return true;
}

TTC_ISA_END
}  // namespace ttc::core
