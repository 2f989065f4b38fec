// Cholesky factorisation of S_t = R_t + B_t' P_t B_t (E4), split over a team by rows (team.hpp); failure means the
// problem is not convex.
#pragma once

#include "substitution.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// Overwrites the lower triangle of S (m x m) with L, S = L L'. Returns false when S is not positive definite; every
// rank computes each diagonal from synchronised data, so every rank returns the same answer.
template <class Team, class R>
TTC_HD bool cholesky_factor(const Team& team, idx m, R* S, idx ld) {
    for (idx j = 0; j < m; ++j) {
        R d = S[j * ld + j];
        for (idx p = 0; p < j; ++p) subtract_product(d, S[j * ld + p], S[j * ld + p]);
        if (!is_positive(d)) return false;
        const R l = sqrt_value(d);
        const R inv = R(1) / l;
        team.sync();  // every rank has read S[j][j]
        if (is_leader(team)) S[j * ld + j] = l;
        each(team, m - j - 1, [&](idx r) {
            const idx i = j + 1 + r;
            R s = S[i * ld + j];
            for (idx p = 0; p < j; ++p) subtract_product(s, S[i * ld + p], S[j * ld + p]);
            S[i * ld + j] = s * inv;
        });
        team.sync();
    }
    return true;
}

// Solves L L' X = B in place for `cols` right-hand sides stored as the columns of X (m x cols, leading dim ldx).
// Column-oriented substitution, as in lu_solve.
template <class Team, class R>
TTC_HD void cholesky_solve(const Team& team, idx m, const R* L, idx ld, idx cols, R* X, idx ldx) {
    for (idx p = 0; p < m; ++p) {  // L Z = B
        scale_row(team, p, R(1) / L[p * ld + p], cols, X, ldx);
        eliminate_row(team, p, p + 1, m - p - 1, [L, ld, p](idx i) -> const R& { return L[i * ld + p]; }, cols, X, ldx);
    }
    for (idx p = m - 1; p >= 0; --p) {  // L' X = Z
        scale_row(team, p, R(1) / L[p * ld + p], cols, X, ldx);
        eliminate_row(team, p, 0, p, [L, ld, p](idx i) -> const R& { return L[p * ld + i]; }, cols, X, ldx);
    }
}

TTC_ISA_END
}  // namespace ttc::core
