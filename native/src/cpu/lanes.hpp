// The CPU's batch-SIMD element type (DESIGN.md §3.1): Lanes<S, W> holds the same element of W problems, so the
// solvers of core/, instantiated with it, solve W problems at once and every operation is a full-width vector
// operation with no horizontal sums. Each lane sees exactly the scalar arithmetic of the one-problem solve, in the
// same order, with a fused multiply-add exactly where that solve has one (hd.hpp's multiply_add: the AVX2 build fuses,
// the baseline does not, and neither contracts anything else), so a lane's result has the same bits.
//
// Comparisons: == is true when every lane is equal (a coefficient such as beta == 0, or x - x == 0 for "all finite");
// there is no < or >, so a value-dependent branch cannot compile by accident. The LU pivots lane by lane (lu.hpp);
// is_positive, Cholesky's pivot test, and positive_and_finite hold when they hold in every lane. == tests every lane
// and combines the results with &, not &&: one vector compare where && branched once per lane, and the dense kernels
// test beta == 0 for every output (docs/BENCHMARKS.md).
#pragma once

#include <cstring>
#include <type_traits>
#if defined(__GNUC__) && TTC_ISA_AVX2
#include <immintrin.h>
#endif

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

// hd.hpp's add_product and subtract_product, unfused: the operators above round as multiply_add does without FMA.
// Lane by lane, they took 2.5x the time of an f32 forward on SSE2. The FMA build's are below.
#if !TTC_ISA_FMA
template <class S, idx W>
inline void add_product(Lanes<S, W>& sum, const Lanes<S, W>& a, const Lanes<S, W>& b) {
    sum += a * b;
}
template <class S, idx W>
inline void subtract_product(Lanes<S, W>& sum, const Lanes<S, W>& a, const Lanes<S, W>& b) {
    sum -= a * b;
}
#endif

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

// dense.hpp's dot and reorthonormalise.hpp's subtract_then_dot for Lanes: the same arithmetic in the same order.
// Their partial sums are GCC/Clang vector locals, which stay in registers; as Lanes, the generic dot zeroed and
// spilled them through the stack on every call, about a third of a 16-element dot's instructions, and the generic
// subtract_then_dot took twice the instructions of a separate update and dot (docs/BENCHMARKS.md). Only locals are
// vectors: a vector member of Lanes itself gave wrong lanes in the AVX2 build. The AVX2 build only: on the SSE2
// baseline, where a 32-byte vector is two registers, it ran 8% more instructions than the generic dot. Other
// compilers take the generic code too.
#if defined(__GNUC__) && TTC_ISA_AVX2
#if !TTC_ISA_FMA
#error "the AVX2 solvers are built with FMA (native/CMakeLists.txt)"
#endif
template <class S, idx W>
struct LaneVector {
    typedef S Type __attribute__((vector_size(sizeof(S) * W)));

    static Type load(const Lanes<S, W>& a) {
        Type v;
        std::memcpy(&v, a.v, sizeof v);
        return v;
    }
    static void store(const Type& v, Lanes<S, W>& a) { std::memcpy(a.v, &v, sizeof v); }
    static Lanes<S, W> lanes(const Type& v) {
        Lanes<S, W> a;
        store(v, a);
        return a;
    }
    // a * b + c and c - a * b, rounded once as hd.hpp's multiply_add rounds them in this build.
    static Type multiply_add(const Type& a, const Type& b, const Type& c) {
        if constexpr (sizeof(S) == 4) return _mm256_fmadd_ps(a, b, c);
        else return _mm256_fmadd_pd(a, b, c);
    }
    static Type negative_multiply_add(const Type& a, const Type& b, const Type& c) {
        if constexpr (sizeof(S) == 4) return _mm256_fnmadd_ps(a, b, c);
        else return _mm256_fnmadd_pd(a, b, c);
    }
    static_assert(sizeof(Type) == 32, "one AVX register");
};

template <class S, idx W>
inline Lanes<S, W> dot(idx count, const Lanes<S, W>* x, const Lanes<S, W>* y) {
    using V = LaneVector<S, W>;
    typename V::Type s0 = {}, s1 = {}, s2 = {}, s3 = {};
    idx i = 0;
    for (; i + 4 <= count; i += 4) {
        s0 = V::multiply_add(V::load(x[i]), V::load(y[i]), s0);
        s1 = V::multiply_add(V::load(x[i + 1]), V::load(y[i + 1]), s1);
        s2 = V::multiply_add(V::load(x[i + 2]), V::load(y[i + 2]), s2);
        s3 = V::multiply_add(V::load(x[i + 3]), V::load(y[i + 3]), s3);
    }
    for (; i < count; ++i) s0 = V::multiply_add(V::load(x[i]), V::load(y[i]), s0);
    s0 += s1;
    s2 += s3;
    s0 += s2;
    return V::lanes(s0);
}

// The FMA build's add_product and subtract_product: one instruction each, in place (lane by lane, the symplectic f32
// forward took about 15% longer; returned as Lanes, 1.9-2.7x as long: docs/BENCHMARKS.md).
template <class S, idx W>
inline void add_product(Lanes<S, W>& sum, const Lanes<S, W>& a, const Lanes<S, W>& b) {
    using V = LaneVector<S, W>;
    V::store(V::multiply_add(V::load(a), V::load(b), V::load(sum)), sum);
}
template <class S, idx W>
inline void subtract_product(Lanes<S, W>& sum, const Lanes<S, W>& a, const Lanes<S, W>& b) {
    using V = LaneVector<S, W>;
    V::store(V::negative_multiply_add(V::load(a), V::load(b), V::load(sum)), sum);
}

// dense.hpp's gemm_strip with its accumulators in vector locals: as Lanes, they went through the stack on every step
// once the update was a fused multiply-add, and the forward ran 1.9x slower.
template <idx Strip, class S, idx W, class AAt>
inline void gemm_strip(idx width, idx K, Lanes<S, W> alpha, const AAt& a_at, idx i, const Lanes<S, W>* B, idx ldb,
                       Lanes<S, W> beta, Lanes<S, W>* c) {
    using V = LaneVector<S, W>;
    using T = typename V::Type;
    const Lanes<S, W> zero(0), one(1);
    T acc[Strip];
    for (idx j = 0; j < Strip; ++j)
        acc[j] = j >= width || beta == zero ? T{} : beta == one ? V::load(c[j]) : V::load(c[j]) * V::load(beta);
    const T a = V::load(alpha);
    if (width == Strip) {
        for (idx p = 0; p < K; ++p) {
            const T s = a * V::load(a_at(i, p));
            const Lanes<S, W>* b = B + p * ldb;
            for (idx j = 0; j < Strip; ++j) acc[j] = V::multiply_add(s, V::load(b[j]), acc[j]);
        }
    } else {
        for (idx p = 0; p < K; ++p) {
            const T s = a * V::load(a_at(i, p));
            const Lanes<S, W>* b = B + p * ldb;
            for (idx j = 0; j < width; ++j) acc[j] = V::multiply_add(s, V::load(b[j]), acc[j]);
        }
    }
    for (idx j = 0; j < width; ++j) V::store(acc[j], c[j]);
}

template <class S, idx W>
inline Lanes<S, W> subtract_then_dot(idx count, Lanes<S, W> d, const Lanes<S, W>* v, Lanes<S, W>* w,
                                     const Lanes<S, W>* u) {
    using V = LaneVector<S, W>;
    const typename V::Type dv = V::load(d);
    typename V::Type s[4] = {};
    auto step = [&](idx j, typename V::Type& sum) {
        const typename V::Type x = V::negative_multiply_add(dv, V::load(v[j]), V::load(w[j]));
        V::store(x, w[j]);  // in place: assigning a returned Lanes went through the stack in 16-byte pieces
        sum = V::multiply_add(x, V::load(u[j]), sum);
    };
    idx j = 0;
    for (; j + 4 <= count; j += 4) {
        step(j, s[0]);
        step(j + 1, s[1]);
        step(j + 2, s[2]);
        step(j + 3, s[3]);
    }
    for (; j < count; ++j) step(j, s[0]);
    s[0] += s[1];
    s[2] += s[3];
    s[0] += s[2];
    return V::lanes(s[0]);
}
#endif

// 32 bytes: one AVX register, two SSE registers.
template <class S>
constexpr idx kLaneWidth = 32 / static_cast<idx>(sizeof(S));

template <class S>
using LanesOf = Lanes<S, kLaneWidth<S>>;

TTC_ISA_END
}  // namespace ttc::core
