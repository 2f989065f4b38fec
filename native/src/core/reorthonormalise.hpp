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

// Row a of W = [Y1 | Y2] dotted with row b: the numerator of a Gram-Schmidt coefficient, or a squared norm (a == b).
template <class R>
TTC_HD R rows_dot(idx n, const R* Y1, const R* Y2, idx a, idx b) {
    return dot(n, Y1 + a * n, Y1 + b * n) + dot(n, Y2 + a * n, Y2 + b * n);
}

// w -= d v over `count` elements, then the updated w . u, summed exactly as dot() sums it: the next round's coefficient
// of a row, taken in the same pass as its update (the row form below). u must not be w: with u == w, GCC 12 at -O3
// gave the SSE2 lanes wrong bits (docs/BENCHMARKS.md, "One pass for the update and the next dot").
template <class R>
TTC_HD R subtract_then_dot(idx count, R d, const R* v, R* w, const R* u) {
    R s0 = R(0), s1 = R(0), s2 = R(0), s3 = R(0);
    idx j = 0;
    for (; j + 4 <= count; j += 4) {
        subtract_product(w[j], d, v[j]);
        add_product(s0, w[j], u[j]);
        subtract_product(w[j + 1], d, v[j + 1]);
        add_product(s1, w[j + 1], u[j + 1]);
        subtract_product(w[j + 2], d, v[j + 2]);
        add_product(s2, w[j + 2], u[j + 2]);
        subtract_product(w[j + 3], d, v[j + 3]);
        add_product(s3, w[j + 3], u[j + 3]);
    }
    for (; j < count; ++j) {
        subtract_product(w[j], d, v[j]);
        add_product(s0, w[j], u[j]);
    }
    s0 += s1;
    s2 += s3;
    s0 += s2;
    return s0;
}

// Scales every row of [Y1 | Y2 | y] to unit norm, given its squared norm norm2[i].
template <class Team, class R>
TTC_HD void normalise_rows(const Team& team, idx n, R* Y1, R* Y2, idx k, R* y, const R* norm2) {
    each(team, n, [&](idx i) {
        R* w1 = Y1 + i * n;
        R* w2 = Y2 + i * n;
        const R inv = R(1) / sqrt_value(norm2[i]);
        for (idx j = 0; j < n; ++j) {
            w1[j] *= inv;
            w2[j] *= inv;
        }
        for (idx c = 0; c < k; ++c) y[c * n + i] *= inv;
    });
    team.sync();
}

// The element form works on a transposed copy of W = [Y1 | Y2]: Wt1[j * n + r] = Y1[r * n + j], and Wt2 likewise, so
// that row r of W is column r of Wt1 and Wt2. A rank per row takes its row's dots, and in this layout consecutive
// ranks read consecutive elements (one cache line for a warp's load) where in W's rows they would read n elements
// apart (a line per rank). y is already stored a column per affine term, so its rows are spread alike.
// Row a of W dotted with row b, rows_dot's sums in rows_dot's order.
template <class R>
TTC_HD R staged_rows_dot(idx n, const R* Wt1, const R* Wt2, idx a, idx b) {
    return strided_dot(n, Wt1 + a, Wt1 + b, n) + strided_dot(n, Wt2 + a, Wt2 + b, n);
}

// Removes final row i of the staged W from rows i+1..n-1 and their affine columns: w -= d_row v with
// d_row = (w1 . v1 + w2 . v2) * inv_norm2, inv_norm2 = 1 / |v|^2, where numerators[r] holds row i+1+r's dot with v.
// Element by element, consecutive rows of a column of Wt on consecutive ranks; no sync between the three blocks
// (none reads what another writes).
template <class Team, class R>
TTC_HD void remove_final_row(const Team& team, idx n, R* Wt1, R* Wt2, idx k, R* y, idx i, R inv_norm2,
                             const R* numerators) {
    const idx later = n - i - 1;
    auto remove_from = [&](R* Wt) {
        each_element(team, n, later, [&](idx col, idx r) {
            subtract_product(Wt[col * n + i + 1 + r], numerators[r] * inv_norm2, Wt[col * n + i]);
        });
    };
    remove_from(Wt1);
    remove_from(Wt2);
    each_element(team, k, later, [&](idx c, idx r) {
        subtract_product(y[c * n + i + 1 + r], numerators[r] * inv_norm2, y[c * n + i]);
    });
    team.sync();
}

// Round i of the element form on the staged W: row i's squared norm and every later row's dot with row i, a rank per
// row (scratch[0] and scratch[1 + r]), then row i removed from every later row (remove_final_row). False when row i
// has collapsed. The norm is taken once, beside the dots, where every rank would otherwise take it; the price is that
// each update multiplies its row's dot by 1 / |v_i|^2 itself.
template <class Team, class R>
TTC_HD bool gram_schmidt_round(const Team& team, idx n, R* Wt1, R* Wt2, idx k, R* y, idx i, R* scratch) {
    each(team, n - i, [&](idx r) { scratch[r] = staged_rows_dot(n, Wt1, Wt2, i + r, i); });
    team.sync();
    const R norm2 = scratch[0];
    if (!positive_and_finite(norm2)) return false;
    remove_final_row(team, n, Wt1, Wt2, k, y, i, R(1) / norm2, scratch + 1);
    return true;
}

// The element form: W staged into Wt1 and Wt2, n rounds, then every row scaled to unit norm on its way back into
// Y1 and Y2 (w * (1 / |w|), as normalise_rows scales).
template <class Team, class R>
TTC_HD bool reorthonormalise_by_elements(const Team& team, idx n, R* Y1, R* Y2, idx k, R* y, R* scratch, R* Wt1,
                                         R* Wt2) {
    each_element(team, n, n, [&](idx r, idx col) {
        Wt1[col * n + r] = Y1[r * n + col];
        Wt2[col * n + r] = Y2[r * n + col];
    });
    team.sync();
    for (idx i = 0; i < n; ++i)
        if (!gram_schmidt_round(team, n, Wt1, Wt2, k, y, i, scratch)) return false;
    // Every row's norm was checked above, after its last change.
    each(team, n, [&](idx r) { scratch[r] = R(1) / sqrt_value(staged_rows_dot(n, Wt1, Wt2, r, r)); });
    team.sync();
    each_element(team, n, n, [&](idx r, idx col) {
        Y1[r * n + col] = Wt1[col * n + r] * scratch[r];
        Y2[r * n + col] = Wt2[col * n + r] * scratch[r];
    });
    each_element(team, k, n, [&](idx c, idx r) { y[c * n + r] *= scratch[r]; });
    team.sync();
    return true;
}

// The row form: the same operations on each element in the same order, so the same bits, with fewer passes over a row.
// Round i first finishes row i + 1 and its squared norm, then updates each later row and, in the same pass, takes its
// dot with row i + 1: round i + 1's coefficient, which remove_final_row reads the row again for. scratch[r] holds, for
// r > i, row r's coefficient numerator for round i; for r <= i, row r's squared norm, which the final scaling reuses
// (the row no longer changes).
template <class Team, class R>
TTC_HD bool reorthonormalise_by_rows(const Team& team, idx n, R* Y1, R* Y2, idx k, R* y, R* scratch) {
    auto subtract_row = [&](idx row, idx i, R d) {
        for (idx c = 0; c < k; ++c) subtract_product(y[c * n + row], d, y[c * n + i]);
    };
    const R norm2_first = rows_dot(n, Y1, Y2, idx(0), idx(0));
    if (!positive_and_finite(norm2_first)) return false;
    if (is_leader(team)) scratch[0] = norm2_first;
    each(team, n - 1, [&](idx r) { scratch[r + 1] = rows_dot(n, Y1, Y2, r + 1, idx(0)); });
    team.sync();
    for (idx i = 0; i + 1 < n; ++i) {
        const R inv_norm2 = R(1) / scratch[i];
        const R* v1 = Y1 + i * n;
        const R* v2 = Y2 + i * n;
        const idx next = i + 1;
        if (is_leader(team)) {
            const R d = scratch[next] * inv_norm2;
            R* w1 = Y1 + next * n;
            R* w2 = Y2 + next * n;
            for (idx j = 0; j < n; ++j) {
                subtract_product(w1[j], d, v1[j]);
                subtract_product(w2[j], d, v2[j]);
            }
            subtract_row(next, i, d);
            scratch[next] = rows_dot(n, Y1, Y2, next, next);
        }
        team.sync();
        const R norm2_next = scratch[next];
        if (!positive_and_finite(norm2_next)) return false;
        const R* u1 = Y1 + next * n;
        const R* u2 = Y2 + next * n;
        each(team, n - next - 1, [&](idx r) {
            const idx row = next + 1 + r;
            const R d = scratch[row] * inv_norm2;
            scratch[row] = subtract_then_dot(n, d, v1, Y1 + row * n, u1) + subtract_then_dot(n, d, v2, Y2 + row * n, u2);
            subtract_row(row, i, d);
        });
        team.sync();
    }
    normalise_rows(team, n, Y1, Y2, k, y, scratch);
    return true;
}

// Y1, Y2: n x n row-major. y: k affine columns, column c stored contiguously at y + c * n. Scratch: n, and the element
// form's Wt1 and Wt2, n x n each (the row form leaves them alone). Returns false when a row collapses (norm zero or not
// finite): the state has lost rank. Both forms give the same bits.
template <class Team, class R>
TTC_HD bool reorthonormalise_rows(const Team& team, idx n, R* Y1, R* Y2, idx k, R* y, R* scratch, R* Wt1, R* Wt2) {
    if constexpr (Team::kSplitsElements) {
        return reorthonormalise_by_elements(team, n, Y1, Y2, k, y, scratch, Wt1, Wt2);
    } else {
        return reorthonormalise_by_rows(team, n, Y1, Y2, k, y, scratch);
    }
}

TTC_ISA_END
}  // namespace ttc::core
