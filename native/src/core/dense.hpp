// Small dense row-major kernels on raw pointers: the only building blocks the solvers use.
// Sizes are run-time; every matrix carries its leading dimension (row stride).
#pragma once

#include "hd.hpp"

namespace ttc::core {

// C[M x N] = beta * C + alpha * A[M x K] * B[K x N].  beta == 0 never reads C.
template <class R>
TTC_HD void gemm_nn(idx M, idx N, idx K, R alpha, const R* A, idx lda, const R* B, idx ldb, R beta, R* C, idx ldc) {
    for (idx i = 0; i < M; ++i) {
        R* c = C + i * ldc;
        if (beta == R(0)) {
            for (idx j = 0; j < N; ++j) c[j] = R(0);
        } else if (beta != R(1)) {
            for (idx j = 0; j < N; ++j) c[j] *= beta;
        }
        for (idx p = 0; p < K; ++p) {
            const R s = alpha * A[i * lda + p];
            const R* b = B + p * ldb;
            for (idx j = 0; j < N; ++j) c[j] += s * b[j];
        }
    }
}

// C[M x N] = beta * C + alpha * A[K x M]' * B[K x N].
template <class R>
TTC_HD void gemm_tn(idx M, idx N, idx K, R alpha, const R* A, idx lda, const R* B, idx ldb, R beta, R* C, idx ldc) {
    for (idx i = 0; i < M; ++i) {
        R* c = C + i * ldc;
        if (beta == R(0)) {
            for (idx j = 0; j < N; ++j) c[j] = R(0);
        } else if (beta != R(1)) {
            for (idx j = 0; j < N; ++j) c[j] *= beta;
        }
    }
    for (idx p = 0; p < K; ++p) {
        const R* a = A + p * lda;
        const R* b = B + p * ldb;
        for (idx i = 0; i < M; ++i) {
            const R s = alpha * a[i];
            R* c = C + i * ldc;
            for (idx j = 0; j < N; ++j) c[j] += s * b[j];
        }
    }
}

// C[M x N] = beta * C + alpha * A[M x K] * B[N x K]'.
template <class R>
TTC_HD void gemm_nt(idx M, idx N, idx K, R alpha, const R* A, idx lda, const R* B, idx ldb, R beta, R* C, idx ldc) {
    for (idx i = 0; i < M; ++i) {
        const R* a = A + i * lda;
        R* c = C + i * ldc;
        for (idx j = 0; j < N; ++j) {
            const R* b = B + j * ldb;
            R s = R(0);
            for (idx p = 0; p < K; ++p) s += a[p] * b[p];
            c[j] = (beta == R(0) ? R(0) : beta * c[j]) + alpha * s;
        }
    }
}

// y[M] = beta * y + alpha * A[M x N] * x[N].
template <class R>
TTC_HD void gemv_n(idx M, idx N, R alpha, const R* A, idx lda, const R* x, R beta, R* y) {
    for (idx i = 0; i < M; ++i) {
        const R* a = A + i * lda;
        R s = R(0);
        for (idx j = 0; j < N; ++j) s += a[j] * x[j];
        y[i] = (beta == R(0) ? R(0) : beta * y[i]) + alpha * s;
    }
}

// y[N] = beta * y + alpha * A[M x N]' * x[M].
template <class R>
TTC_HD void gemv_t(idx M, idx N, R alpha, const R* A, idx lda, const R* x, R beta, R* y) {
    for (idx j = 0; j < N; ++j) y[j] = (beta == R(0) ? R(0) : beta * y[j]);
    for (idx i = 0; i < M; ++i) {
        const R s = alpha * x[i];
        const R* a = A + i * lda;
        for (idx j = 0; j < N; ++j) y[j] += s * a[j];
    }
}

template <class R>
TTC_HD void copy(idx count, const R* x, R* y) {
    for (idx i = 0; i < count; ++i) y[i] = x[i];
}

template <class R>
TTC_HD void fill(idx count, R value, R* y) {
    for (idx i = 0; i < count; ++i) y[i] = value;
}

// M[rows x cols] <- M diag(d): scales column j by d[j].
template <class R>
TTC_HD void scale_columns(idx rows, idx cols, R* M, idx ld, const R* d) {
    for (idx i = 0; i < rows; ++i)
        for (idx j = 0; j < cols; ++j) M[i * ld + j] *= d[j];
}

// M[rows x cols] <- diag(d) M: scales row i by d[i].
template <class R>
TTC_HD void scale_rows(idx rows, idx cols, R* M, idx ld, const R* d) {
    for (idx i = 0; i < rows; ++i)
        for (idx j = 0; j < cols; ++j) M[i * ld + j] *= d[i];
}

// M <- (M + M') / 2 for a square n x n matrix.
template <class R>
TTC_HD void symmetrise(idx n, R* M, idx ld) {
    for (idx i = 0; i < n; ++i)
        for (idx j = i + 1; j < n; ++j) {
            const R s = R(0.5) * (M[i * ld + j] + M[j * ld + i]);
            M[i * ld + j] = s;
            M[j * ld + i] = s;
        }
}

// True when none of x[0..count) is NaN or Inf; a null x (an absent output) counts as finite.
template <class R>
TTC_HD bool all_finite(const R* x, idx count) {
    if (x == nullptr) return true;
    for (idx i = 0; i < count; ++i)
        if (!is_finite_value(x[i])) return false;
    return true;
}

template <class R>
TTC_HD R dot(idx count, const R* x, const R* y) {
    R s = R(0);
    for (idx i = 0; i < count; ++i) s += x[i] * y[i];
    return s;
}

}  // namespace ttc::core
