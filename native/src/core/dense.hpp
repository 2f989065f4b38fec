// Small dense row-major kernels on raw pointers: the only building blocks the solvers use.
// Sizes are run-time; every matrix carries its leading dimension (row stride). Each routine splits its output rows
// (or elements) over the team and ends with a sync (team.hpp); each output is accumulated in the same order whatever
// the team size.
#pragma once

#include <type_traits>

#include "team.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

#if defined(__CUDA_ARCH__)
// out[0..3] = x[0..3] from a 16-byte aligned x, in 16-byte loads.
__device__ inline void load_four(const float* x, float* out) {
    const float4 v = *reinterpret_cast<const float4*>(x);
    out[0] = v.x;
    out[1] = v.y;
    out[2] = v.z;
    out[3] = v.w;
}
__device__ inline void load_four(const double* x, double* out) {
    const double2 lo = reinterpret_cast<const double2*>(x)[0], hi = reinterpret_cast<const double2*>(x)[1];
    out[0] = lo.x;
    out[1] = lo.y;
    out[2] = hi.x;
    out[3] = hi.y;
}
#endif

// x . y in four interleaved partial sums, added as (s0 + s1) + (s2 + s3): four independent chains of adds where one
// would wait on every add's latency, in one fixed order on every backend and team size. The sums are combined in place
// and s0 returned as is: GCC returned the temporary (s0 + s1) + (s2 + s3) of the CPU's 32-byte lanes in 8- and
// 16-byte pieces, which the caller's 32-byte load then had to wait for (docs/BENCHMARKS.md).
//
// On a GPU, when x and y are 16-byte aligned, each group of four comes in 16-byte loads (float4, or two double2): the
// same products and sums in the same order. A team's matrix-vector products (gemv_n) take a row's dot a rank per row,
// so the loads of a warp fall on as many cache lines as it has ranks, and each such load brings four elements, not one.
template <class R>
TTC_HD void add_four_products(R& s0, R& s1, R& s2, R& s3, const R* x, const R* y) {
    add_product(s0, x[0], y[0]);
    add_product(s1, x[1], y[1]);
    add_product(s2, x[2], y[2]);
    add_product(s3, x[3], y[3]);
}

// Products x[i * stride] y[i * stride] from element i on, into dot()'s four partial sums: index mod 4 into s0..s3, four
// at a time, and the tail into s0.
template <class R>
TTC_HD void add_products_from(idx i, idx count, const R* x, const R* y, idx stride, R& s0, R& s1, R& s2, R& s3) {
    for (; i + 4 <= count; i += 4) {
        add_product(s0, x[i * stride], y[i * stride]);
        add_product(s1, x[(i + 1) * stride], y[(i + 1) * stride]);
        add_product(s2, x[(i + 2) * stride], y[(i + 2) * stride]);
        add_product(s3, x[(i + 3) * stride], y[(i + 3) * stride]);
    }
    for (; i < count; ++i) add_product(s0, x[i * stride], y[i * stride]);
}

template <class R>
TTC_HD R dot(idx count, const R* x, const R* y) {
    R s0 = R(0), s1 = R(0), s2 = R(0), s3 = R(0);
    idx i = 0;
#if defined(__CUDA_ARCH__)
    if constexpr (std::is_same_v<R, float> || std::is_same_v<R, double>) {
        const auto address = reinterpret_cast<unsigned long long>(x) | reinterpret_cast<unsigned long long>(y);
        if (address % 16 == 0)
            for (; i + 4 <= count; i += 4) {
                R a[4], b[4];
                load_four(x + i, a);
                load_four(y + i, b);
                add_four_products(s0, s1, s2, s3, a, b);
            }
    }
#endif
    add_products_from(i, count, x, y, idx(1), s0, s1, s2, s3);
    s0 += s1;
    s2 += s3;
    s0 += s2;
    return s0;
}

// x . y over `count` elements `stride` apart, summed exactly as dot() sums contiguous ones.
template <class R>
TTC_HD R strided_dot(idx count, const R* x, const R* y, idx stride) {
    R s0 = R(0), s1 = R(0), s2 = R(0), s3 = R(0);
    add_products_from(idx(0), count, x, y, stride, s0, s1, s2, s3);
    s0 += s1;
    s2 += s3;
    s0 += s2;
    return s0;
}

// The row form's unit of work: `width` <= Strip consecutive outputs c[0..width) of row i, accumulated in registers over
// p in order and stored once, so that a CPU vectorises along the strip (each element gets the element form's sum).
constexpr idx kGemmStrip = 8;

template <idx Strip, class R, class AAt>
TTC_HD void gemm_strip(idx width, idx K, R alpha, const AAt& a_at, idx i, const R* B, idx ldb, R beta, R* c) {
    R acc[Strip];
    for (idx j = 0; j < Strip; ++j)
        acc[j] = j >= width || beta == R(0) ? R(0) : beta == R(1) ? c[j] : c[j] * beta;
    if (width == Strip) {
        for (idx p = 0; p < K; ++p) {
            const R s = alpha * a_at(i, p);
            const R* b = B + p * ldb;
            for (idx j = 0; j < Strip; ++j) add_product(acc[j], s, b[j]);
        }
    } else {
        for (idx p = 0; p < K; ++p) {
            const R s = alpha * a_at(i, p);
            const R* b = B + p * ldb;
            for (idx j = 0; j < width; ++j) add_product(acc[j], s, b[j]);
        }
    }
    for (idx j = 0; j < width; ++j) c[j] = acc[j];
}

// The element form's unit of work (team.hpp): column j of kGemmRowBlock rows, i0 + q * row_step for q < rows, each
// accumulated in a register over p in order and stored once. The rows share each load of B[p, j], and their chains
// are independent, so a GPU thread has four multiply-adds in flight where one would wait on the last. Rows past
// `rows` repeat the last one and are not stored, so the loops have fixed bounds and the accumulators stay registers.
constexpr idx kGemmRowBlock = 4;

template <class R, class AAt>
TTC_HD void gemm_column_block(idx rows, idx K, R alpha, const AAt& a_at, idx i0, idx row_step, idx j, const R* B,
                              idx ldb, R beta, R* C, idx ldc) {
    idx row[kGemmRowBlock];
    R acc[kGemmRowBlock];
    for (idx q = 0; q < kGemmRowBlock; ++q) {
        row[q] = i0 + (q < rows ? q : rows - 1) * row_step;
        const idx at = row[q] * ldc + j;
        acc[q] = beta == R(0) ? R(0) : beta == R(1) ? C[at] : C[at] * beta;
    }
    for (idx p = 0; p < K; ++p) {
        const R b = B[p * ldb + j];
        for (idx q = 0; q < kGemmRowBlock; ++q) add_product(acc[q], alpha * a_at(row[q], p), b);
    }
    for (idx q = 0; q < rows; ++q) C[row[q] * ldc + j] = acc[q];
}

// C[M x N] = beta * C + alpha * op(A) * B, op(A)[i, p] = a_at(i, p), for gemm_nn and gemm_tn (team.hpp: the row
// form when a rank owns whole rows, else one register accumulation per element). beta == 0 never reads C.
// Element form: consecutive ranks own consecutive columns, so a warp's loads of a row of B are contiguous. A rank
// owns every size-th column when N >= size; else column rank % N of every (size / N)-th row from rank / N (ranks past
// the last whole group idle).
template <class Team, class R, class AAt>
TTC_HD void gemm_rows_or_elements(const Team& team, idx M, idx N, idx K, R alpha, const AAt& a_at, const R* B, idx ldb,
                                  R beta, R* C, idx ldc) {
    if constexpr (Team::kSplitsElements) {
        const idx size = team.size(), rank = team.rank();
        const bool wide = N >= size;
        const idx groups = wide ? 1 : size / N;
        if (M > 0 && N > 0 && rank < groups * (wide ? size : N)) {
            const idx first_row = wide ? 0 : rank / N, col_step = wide ? size : N;
            const idx my_rows = M > first_row ? (M - first_row + groups - 1) / groups : 0;
            for (idx j = wide ? rank : rank % N; j < N; j += col_step)
                for (idx done = 0; done < my_rows; done += kGemmRowBlock) {
                    const idx left = my_rows - done;
                    gemm_column_block(left < kGemmRowBlock ? left : kGemmRowBlock, K, alpha, a_at,
                                      first_row + done * groups, groups, j, B, ldb, beta, C, ldc);
                }
        }
    } else {
        each(team, M, [&](idx i) {
            idx j = 0;
            for (; j + kGemmStrip <= N; j += kGemmStrip)
                gemm_strip<kGemmStrip>(kGemmStrip, K, alpha, a_at, i, B + j, ldb, beta, C + i * ldc + j);
            if (j < N) gemm_strip<kGemmStrip>(N - j, K, alpha, a_at, i, B + j, ldb, beta, C + i * ldc + j);
        });
    }
    team.sync();
}

// C[M x N] = beta * C + alpha * A[M x K] * B[K x N].  beta == 0 never reads C.
template <class Team, class R>
TTC_HD void gemm_nn(const Team& team, idx M, idx N, idx K, R alpha, const R* A, idx lda, const R* B, idx ldb, R beta,
                    R* C, idx ldc) {
    gemm_rows_or_elements(team, M, N, K, alpha, [&](idx i, idx p) { return A[i * lda + p]; }, B, ldb, beta, C, ldc);
}

// C[M x N] = beta * C + alpha * A[K x M]' * B[K x N].
template <class Team, class R>
TTC_HD void gemm_tn(const Team& team, idx M, idx N, idx K, R alpha, const R* A, idx lda, const R* B, idx ldb, R beta,
                    R* C, idx ldc) {
    gemm_rows_or_elements(team, M, N, K, alpha, [&](idx i, idx p) { return A[p * lda + i]; }, B, ldb, beta, C, ldc);
}

// y[M] = beta * y + alpha * A[M x N] * x[N].
template <class Team, class R>
TTC_HD void gemv_n(const Team& team, idx M, idx N, R alpha, const R* A, idx lda, const R* x, R beta, R* y) {
    each(team, M, [&](idx i) {
        y[i] = (beta == R(0) ? R(0) : beta * y[i]) + alpha * dot(N, A + i * lda, x);
    });
    team.sync();
}

// y[N] = beta * y + alpha * A[M x N]' * x[M]: the one-row product y' = x' A, so a CPU vectorises it like a gemm row.
template <class Team, class R>
TTC_HD void gemv_t(const Team& team, idx M, idx N, R alpha, const R* A, idx lda, const R* x, R beta, R* y) {
    gemm_rows_or_elements(team, 1, N, M, alpha, [&](idx, idx p) { return x[p]; }, A, lda, beta, y, N);
}

template <class Team, class R>
TTC_HD void copy(const Team& team, idx count, const R* x, R* y) {
    each(team, count, [&](idx i) { y[i] = x[i]; });
    team.sync();
}

template <class Team, class R>
TTC_HD void fill(const Team& team, idx count, R value, R* y) {
    each(team, count, [&](idx i) { y[i] = value; });
    team.sync();
}

// M[rows x cols] <- M diag(d): scales column j by d[j].
template <class Team, class R>
TTC_HD void scale_columns(const Team& team, idx rows, idx cols, R* M, idx ld, const R* d) {
    each(team, rows, [&](idx i) {
        for (idx j = 0; j < cols; ++j) M[i * ld + j] *= d[j];
    });
    team.sync();
}

// M[rows x cols] <- diag(d) M: scales row i by d[i].
template <class Team, class R>
TTC_HD void scale_rows(const Team& team, idx rows, idx cols, R* M, idx ld, const R* d) {
    each(team, rows, [&](idx i) {
        for (idx j = 0; j < cols; ++j) M[i * ld + j] *= d[i];
    });
    team.sync();
}

// M <- (M + M') / 2 for a square n x n matrix. Rank of row i owns the pairs (i, j > i) and their mirrors.
template <class Team, class R>
TTC_HD void symmetrise(const Team& team, idx n, R* M, idx ld) {
    each(team, n, [&](idx i) {
        for (idx j = i + 1; j < n; ++j) {
            const R s = R(0.5) * (M[i * ld + j] + M[j * ld + i]);
            M[i * ld + j] = s;
            M[j * ld + i] = s;
        }
    });
    team.sync();
}

// True when none of x[0..count) is NaN or Inf; a null x (an absent output) counts as finite. Every rank reads all of
// x, so every rank gets the same answer.
template <class R>
TTC_HD bool all_finite(const R* x, idx count) {
    if (x == nullptr) return true;
    for (idx i = 0; i < count; ++i)
        if (!is_finite_value(x[i])) return false;
    return true;
}

TTC_ISA_END
}  // namespace ttc::core
