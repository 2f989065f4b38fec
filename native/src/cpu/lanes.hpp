// The CPU's batch-SIMD element type (DESIGN.md §3.1): Lanes<S, W> holds the same element of W problems, so the
// solvers of core/, instantiated with it, solve W problems at once and every operation is a full-width vector
// operation with no horizontal sums. Each lane sees exactly the scalar arithmetic of the one-problem solve, in the
// same order (no fused multiply-add is formed from separate operations), so a lane's result has the same bits.
//
// Comparisons: == is true when every lane is equal (a coefficient such as beta == 0, or x - x == 0 for "all finite");
// there is no < or >, so a value-dependent branch cannot compile by accident. The LU pivots lane by lane (lu.hpp);
// is_positive, Cholesky's pivot test, and positive_and_finite hold when they hold in every lane. == tests every lane
// and combines the results with &, not &&: one vector compare where && branched once per lane, and the dense kernels
// test beta == 0 for every output (docs/BENCHMARKS.md).
#pragma once

#include <cstring>
#include <type_traits>

#include "../core/hd.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

template <class S, idx W>
struct alignas(sizeof(S) * W) Lanes {
    S v[W];

    Lanes() = default;
    template <class X, class = std::enable_if_t<std::is_arithmetic_v<X>>>
    explicit Lanes(X x) {
        for (idx l = 0; l < W; ++l) v[l] = static_cast<S>(x);
    }

    Lanes& operator+=(const Lanes& o) {
        for (idx l = 0; l < W; ++l) v[l] += o.v[l];
        return *this;
    }
    Lanes& operator-=(const Lanes& o) {
        for (idx l = 0; l < W; ++l) v[l] -= o.v[l];
        return *this;
    }
    Lanes& operator*=(const Lanes& o) {
        for (idx l = 0; l < W; ++l) v[l] *= o.v[l];
        return *this;
    }
    Lanes& operator/=(const Lanes& o) {
        for (idx l = 0; l < W; ++l) v[l] /= o.v[l];
        return *this;
    }
    Lanes operator-() const {
        Lanes r;
        for (idx l = 0; l < W; ++l) r.v[l] = -v[l];
        return r;
    }
};

template <class S, idx W>
inline Lanes<S, W> operator+(Lanes<S, W> a, const Lanes<S, W>& b) { return a += b; }
template <class S, idx W>
inline Lanes<S, W> operator-(Lanes<S, W> a, const Lanes<S, W>& b) { return a -= b; }
template <class S, idx W>
inline Lanes<S, W> operator*(Lanes<S, W> a, const Lanes<S, W>& b) { return a *= b; }
template <class S, idx W>
inline Lanes<S, W> operator/(Lanes<S, W> a, const Lanes<S, W>& b) { return a /= b; }

template <class S, idx W>
inline bool operator==(const Lanes<S, W>& a, const Lanes<S, W>& b) {
    int equal = 1;
    for (idx l = 0; l < W; ++l) equal &= a.v[l] == b.v[l];
    return equal != 0;
}

template <class S, idx W>
struct lane_traits<Lanes<S, W>> {
    using scalar = S;
    static constexpr idx count = W;
};

template <class S, idx W>
inline S& lane(Lanes<S, W>& x, idx l) { return x.v[l]; }
template <class S, idx W>
inline const S& lane(const Lanes<S, W>& x, idx l) { return x.v[l]; }

// The scalar helpers of hd.hpp, lane by lane.
template <class S, idx W, class F>
inline Lanes<S, W> per_lane(const Lanes<S, W>& x, const F& f) {
    Lanes<S, W> r;
    for (idx l = 0; l < W; ++l) r.v[l] = f(x.v[l]);
    return r;
}

template <class S, idx W>
inline Lanes<S, W> abs_value(const Lanes<S, W>& x) { return per_lane(x, [](S s) { return abs_value(s); }); }
template <class S, idx W>
inline Lanes<S, W> sqrt_value(const Lanes<S, W>& x) { return per_lane(x, [](S s) { return sqrt_value(s); }); }
template <class S, idx W>
inline Lanes<S, W> exp_value(const Lanes<S, W>& x) { return per_lane(x, [](S s) { return exp_value(s); }); }

template <class S, idx W, class F>
inline Lanes<S, W> per_lane(const Lanes<S, W>& x, const Lanes<S, W>& y, const F& f) {
    Lanes<S, W> r;
    for (idx l = 0; l < W; ++l) r.v[l] = f(x.v[l], y.v[l]);
    return r;
}

template <class S, idx W>
inline Lanes<S, W> max_value(const Lanes<S, W>& x, const Lanes<S, W>& y) {
    return per_lane(x, y, [](S a, S b) { return max_value(a, b); });
}
template <class S, idx W>
inline Lanes<S, W> min_value(const Lanes<S, W>& x, const Lanes<S, W>& y) {
    return per_lane(x, y, [](S a, S b) { return min_value(a, b); });
}

template <class S, idx W>
inline bool is_positive(const Lanes<S, W>& x) {
    bool ok = true;
    for (idx l = 0; l < W; ++l) ok = ok && is_positive(x.v[l]);
    return ok;
}

template <class S, idx W>
inline bool positive_and_finite(const Lanes<S, W>& x) {
    bool ok = true;
    for (idx l = 0; l < W; ++l) ok = ok && positive_and_finite(x.v[l]);
    return ok;
}

// dense.hpp's dot for Lanes: the same four partial sums, added in the same order. Its sums are GCC/Clang vector
// locals, which stay in registers; as Lanes, the generic dot zeroed and spilled them through the stack on every call,
// about a third of a 16-element dot's instructions (docs/BENCHMARKS.md). Only locals are vectors: a vector member of
// Lanes itself gave wrong lanes in the AVX2 build. The AVX2 build only: on the SSE2 baseline, where a 32-byte vector
// is two registers, it ran 8% more instructions than the generic dot. Other compilers take the generic dot too.
#if defined(__GNUC__) && TTC_ISA_AVX2
template <class S, idx W>
inline Lanes<S, W> dot(idx count, const Lanes<S, W>* x, const Lanes<S, W>* y) {
    typedef S Vector __attribute__((vector_size(sizeof(S) * W)));
    auto load = [](const Lanes<S, W>& a) {
        Vector v;
        std::memcpy(&v, a.v, sizeof v);
        return v;
    };
    Vector s0 = {}, s1 = {}, s2 = {}, s3 = {};
    idx i = 0;
    for (; i + 4 <= count; i += 4) {
        s0 += load(x[i]) * load(y[i]);
        s1 += load(x[i + 1]) * load(y[i + 1]);
        s2 += load(x[i + 2]) * load(y[i + 2]);
        s3 += load(x[i + 3]) * load(y[i + 3]);
    }
    for (; i < count; ++i) s0 += load(x[i]) * load(y[i]);
    s0 += s1;
    s2 += s3;
    s0 += s2;
    Lanes<S, W> sum;
    std::memcpy(sum.v, &s0, sizeof s0);
    return sum;
}
#endif

// 32 bytes: one AVX register, two SSE registers.
template <class S>
constexpr idx kLaneWidth = 32 / static_cast<idx>(sizeof(S));

template <class S>
using LanesOf = Lanes<S, kLaneWidth<S>>;

TTC_ISA_END
}  // namespace ttc::core
