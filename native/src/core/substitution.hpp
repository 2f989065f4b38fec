// The two moves of a column-oriented triangular substitution on X (n rows of `cols` right-hand sides, leading
// dimension ldx), split over a team by rows (team.hpp): once row p of X is final, scale it, then remove it from the
// rows that depend on it. lu_solve and cholesky_solve are sequences of these.
#pragma once

#include "team.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// Row p of X times `factor`.
template <class Team, class R>
TTC_HD void scale_row(const Team& team, idx p, R factor, idx cols, R* X, idx ldx) {
    each(team, cols, [&](idx j) { X[p * ldx + j] *= factor; });
    team.sync();
}

// X[i] -= coef(i) X[p] for the rows i in [first, first + count). coef returns a reference into the factor, which the
// loop holds as hd.hpp's RowCoefficient says.
template <class Team, class R, class Coef>
TTC_HD void eliminate_row(const Team& team, idx p, idx first, idx count, const Coef& coef, idx cols, R* X, idx ldx) {
    each(team, count, [&](idx r) {
        const idx i = first + r;
        RowCoefficient<R> f = coef(i);
        for (idx j = 0; j < cols; ++j) subtract_product(X[i * ldx + j], f, X[p * ldx + j]);
    });
    team.sync();
}

TTC_ISA_END
}  // namespace ttc::core
