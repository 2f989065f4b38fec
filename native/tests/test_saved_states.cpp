// ttc_options.saved (ttc.h): the backward started from the sweep states a discounted forward saved gives bitwise the
// gradients of the stateless backward, and uses the states only where they belong to its inputs and its upstream
// vanishes past the first rollout segment.
#include <cstring>

#include "discounted_case.hpp"
#include "property.hpp"

namespace ttc::test {
namespace {

struct SavedBuffer {
    std::vector<std::uint64_t> words;  // 8-byte aligned
    std::int64_t bytes = 0;
    void* data() { return words.data(); }
};

template <class R>
std::int64_t saved_size(const DiscountedCase& c, ttc_options o) {
    std::int64_t bytes = -1;
    EXPECT_EQ(ttc_saved_size(std::is_same_v<R, double> ? TTC_DTYPE_F64 : TTC_DTYPE_F32, c.problems(), c.n, c.m, c.T,
                             &o, &bytes),
              TTC_STATUS_OK);
    return bytes;
}

template <class R>
SavedBuffer saved_buffer(const DiscountedCase& c, ttc_options o) {
    SavedBuffer s;
    s.bytes = saved_size<R>(c, o);
    s.words.assign(static_cast<std::size_t>(s.bytes / 8), 0);
    return s;
}

ttc_options with_saved(ttc_options o, SavedBuffer& s) {
    o.saved = s.data();
    o.saved_bytes = s.bytes;
    return o;
}

// Bit-for-bit equality (a sign of zero counts).
void expect_same_bits(const DiscountedGrads& x, const DiscountedGrads& y) {
    ASSERT_EQ(x.status, y.status);
    const auto a = x.named(), b = y.named();
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].values->size(), b[i].values->size()) << a[i].name;
        EXPECT_EQ(std::memcmp(a[i].values->data(), b[i].values->data(), a[i].values->size() * sizeof(double)), 0)
            << "grad " << a[i].name << " differs";
    }
}

// The states of problem b (the region's bytes before its 16-byte seal), overwritten with `value`.
template <class R>
void overwrite_states(SavedBuffer& s, std::int64_t problems, std::int64_t b, R value) {
    const std::int64_t region = s.bytes / problems;
    auto* bytes = reinterpret_cast<unsigned char*>(s.data()) + b * region;
    for (std::int64_t i = 0; i + static_cast<std::int64_t>(sizeof(R)) <= region - 16; i += sizeof(R))
        std::memcpy(bytes + i, &value, sizeof(R));
}

std::int64_t segment_steps(std::int64_t T, bool full) {
    if (full) return 1;
    std::int64_t L = 1;
    while (L * L < T) ++L;
    return L;
}

struct SavedCase {
    DiscountedCase c;
    ttc_options o{};
    Upstream up;
};

// Sizes across lane groups (4 problems in f64, 8 in f32) and a remainder, T across segment edges, either storage, and
// an upstream that vanishes past the first segment (Tu <= L, Th < L; Tu = 1, Th = 0 is the TTC layer's).
SavedCase random_saved_case(Rng& rng) {
    SavedCase s;
    const std::int64_t Ts[] = {1, 2, 3, 4, 5, 8, 9, 10, 16, 17, 26, 33};
    const std::int64_t T = Ts[rng.integer(0, 11)];
    s.c = random_discounted(rng, rng.integer(1, 7), rng.integer(1, 3), T, rng.integer(1, 6),
                            rng.integer(1, 5), rng.integer(0, 1) == 1);
    const bool full = rng.integer(0, 1) == 1;
    s.o.storage = full ? TTC_STORAGE_FULL : TTC_STORAGE_CHECKPOINTS;
    const std::int64_t L = segment_steps(T, full);
    s.up = random_upstream(rng, s.c, rng.integer(0, L), rng.integer(0, L - 1));
    return s;
}

template <class R>
void backward_from_saved_states_is_bitwise_stateless(std::uint64_t seed) {
    Rng rng(seed);
    SavedCase s = random_saved_case(rng);
    SavedBuffer buffer = saved_buffer<R>(s.c, s.o);
    ttc_set_num_threads(static_cast<int32_t>(rng.integer(1, 3)));
    const Solution saving = solve<R>(s.c, with_saved(s.o, buffer), false);
    const Solution plain = solve<R>(s.c, s.o, false);
    ASSERT_EQ(saving.status, TTC_STATUS_OK);
    EXPECT_EQ(std::memcmp(saving.u1.data(), plain.u1.data(), plain.u1.size() * sizeof(double)), 0);
    ttc_set_num_threads(static_cast<int32_t>(rng.integer(1, 3)));
    const DiscountedGrads stateless = gradients<R>(s.c, s.up, s.o);
    ASSERT_EQ(stateless.status, TTC_STATUS_OK);
    expect_same_bits(gradients<R>(s.c, s.up, with_saved(s.o, buffer)), stateless);

    // And the states are read: spoiled under an intact seal, they change the problem's gradients (given a non-zero
    // upstream; with none, every gradient is 0 whatever the states).
    if (s.c.T > 1 && s.up.Tu > 0) {
        overwrite_states<R>(buffer, s.c.problems(), 0, R(0.25));
        const DiscountedGrads spoiled = gradients<R>(s.c, s.up, with_saved(s.o, buffer));
        EXPECT_TRUE(spoiled.status != TTC_STATUS_OK || spoiled.a != stateless.a || spoiled.B != stateless.B ||
                    spoiled.h0 != stateless.h0);
    }
    ttc_set_num_threads(2);
}

TEST(SavedStates, BackwardFromSavedStatesIsBitwiseStatelessF64) {
    for_each_seed(60, backward_from_saved_states_is_bitwise_stateless<double>);
}

TEST(SavedStates, BackwardFromSavedStatesIsBitwiseStatelessF32) {
    for_each_seed(60, backward_from_saved_states_is_bitwise_stateless<float>);
}

// States saved for other inputs, or an upstream that reaches past the first segment, are not used: spoiled states
// then leave the gradients bitwise stateless.
template <class R>
void unusable_states_are_recomputed(std::uint64_t seed) {
    Rng rng(seed);
    SavedCase s = random_saved_case(rng);
    SavedBuffer buffer = saved_buffer<R>(s.c, s.o);
    ASSERT_EQ(solve<R>(s.c, with_saved(s.o, buffer), false).status, TTC_STATUS_OK);
    for (std::int64_t b = 0; b < s.c.problems(); ++b) overwrite_states<R>(buffer, s.c.problems(), b, R(0.25));

    DiscountedCase other = s.c;  // another a for every problem
    for (auto& v : other.a) v = v * 0.5 + 0.1;
    expect_same_bits(gradients<R>(other, s.up, with_saved(s.o, buffer)), gradients<R>(other, s.up, s.o));

    // dL/dh_T != 0 reaches every segment top (T >= 1).
    Upstream late = random_upstream(rng, s.c, 1, s.c.T);
    expect_same_bits(gradients<R>(s.c, late, with_saved(s.o, buffer)), gradients<R>(s.c, late, s.o));

    // A -0 in dL/du past the first segment counts as non-zero too.
    const std::int64_t L = segment_steps(s.c.T, s.o.storage == TTC_STORAGE_FULL);
    if (L < s.c.T) {
        Upstream negative_zero = random_upstream(rng, s.c, s.c.T, 0);
        for (std::int64_t b = 0; b < s.c.problems(); ++b)
            for (std::int64_t t = L + 1; t <= s.c.T; ++t)
                for (std::int64_t j = 0; j < s.c.m; ++j)
                    negative_zero.gu[(b * s.c.T + t - 1) * s.c.m + j] = t == s.c.T && j == 0 ? -0.0 : 0.0;
        expect_same_bits(gradients<R>(s.c, negative_zero, with_saved(s.o, buffer)),
                         gradients<R>(s.c, negative_zero, s.o));
    }
}

TEST(SavedStates, UnusableStatesAreRecomputedF64) { for_each_seed(25, unusable_states_are_recomputed<double>); }

TEST(SavedStates, UnusableStatesAreRecomputedF32) { for_each_seed(25, unusable_states_are_recomputed<float>); }

// The Riccati solver (chosen, or the small-|a| fallback) saves nothing: a buffer that then holds stale states for the
// same inputs under the symplectic solver is never trusted for them.
TEST(SavedStates, RiccatiSavesNothing) {
    Rng rng(11);
    DiscountedCase c = random_discounted(rng, 3, 2, 9, 4, 3, false);
    c.a[0] = -1.0;  // A_t = I - gamma^t: its smallest |(A_t)_ii| falls below tau, so problem 0 falls back to Riccati
    c.lga[0] = -1e-9;
    ttc_options riccati{};
    riccati.solver = TTC_SOLVER_RICCATI;
    for (ttc_options o : {riccati, ttc_options{}}) {
        SavedBuffer buffer = saved_buffer<double>(c, o);
        ASSERT_EQ(solve<double>(c, with_saved(o, buffer), false).status, TTC_STATUS_OK);
        for (std::int64_t b = 0; b < c.problems(); ++b) overwrite_states<double>(buffer, c.problems(), b, 0.25);
        const Upstream up = random_upstream(rng, c, 1, 0);
        const DiscountedGrads stateless = gradients<double>(c, up, o);
        ASSERT_EQ(stateless.status, TTC_STATUS_OK);
        const DiscountedGrads from_buffer = gradients<double>(c, up, with_saved(o, buffer));
        if (o.solver == TTC_SOLVER_RICCATI) {
            expect_same_bits(from_buffer, stateless);
        } else {
            // Problem 0 recomputes (Riccati); the others read their spoiled states.
            for (std::int64_t i = 0; i < c.n; ++i) EXPECT_EQ(from_buffer.a[i], stateless.a[i]);
        }
    }
}

TEST(SavedStates, SizeQuery) {
    ttc_options o{};
    std::int64_t bytes = -1;
    // Checkpoints: ceil(T / L) segment tops of 2 n^2 + n values each, then a 16-byte seal, per problem.
    ASSERT_EQ(ttc_saved_size(TTC_DTYPE_F64, 5, 4, 3, 10, &o, &bytes), TTC_STATUS_OK);
    EXPECT_EQ(bytes, 5 * (3 * (2 * 16 + 4) * 8 + 16));
    ASSERT_EQ(ttc_saved_size(TTC_DTYPE_F32, 5, 3, 3, 10, &o, &bytes), TTC_STATUS_OK);
    EXPECT_EQ(bytes, 5 * (3 * (2 * 9 + 3) * 4 + 4 + 16));  // 252 bytes of states, padded to 256
    o.storage = TTC_STORAGE_FULL;
    ASSERT_EQ(ttc_saved_size(TTC_DTYPE_F64, 5, 4, 3, 10, &o, &bytes), TTC_STATUS_OK);
    EXPECT_EQ(bytes, 5 * (10 * (2 * 16 + 4) * 8 + 16));
    ASSERT_EQ(ttc_saved_size(TTC_DTYPE_F64, 0, 4, 3, 10, &o, &bytes), TTC_STATUS_OK);
    EXPECT_EQ(bytes, 0);

    EXPECT_EQ(ttc_saved_size(TTC_DTYPE_F64, 5, 4, 3, 10, &o, nullptr), TTC_STATUS_NULL_POINTER);
    EXPECT_EQ(ttc_saved_size(7, 5, 4, 3, 10, &o, &bytes), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("dtype"), std::string::npos);
    EXPECT_EQ(ttc_saved_size(TTC_DTYPE_F64, -1, 4, 3, 10, &o, &bytes), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("problems"), std::string::npos);
    EXPECT_EQ(ttc_saved_size(TTC_DTYPE_F64, 5, 0, 3, 10, &o, &bytes), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(ttc_saved_size(TTC_DTYPE_F64, INT64_MAX / 2, 60000, 3, 1 << 20, &o, &bytes),
              TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("overflows"), std::string::npos);
}

// A buffer too small or misaligned is the caller's error, caught before any output is written.
TEST(SavedStates, BadBufferIsRejectedBeforeAnyWrite) {
    Rng rng(5);
    const DiscountedCase c = random_discounted(rng, 2, 2, 6, 3, 2, false);
    const ttc_options o{};
    SavedBuffer buffer = saved_buffer<double>(c, o);
    ttc_options small = with_saved(o, buffer);
    small.saved_bytes -= 8;
    const Solution forward = solve<double>(c, small, false);
    EXPECT_EQ(forward.status, TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("options.saved"), std::string::npos);
    for (double v : forward.u1) EXPECT_EQ(v, 0.0);  // solve() zero-fills its outputs
    for (std::uint64_t w : buffer.words) EXPECT_EQ(w, 0u);

    const Upstream up = random_upstream(rng, c, 1, 0);
    const DiscountedGrads backward = gradients<double>(c, up, small);
    EXPECT_EQ(backward.status, TTC_STATUS_INVALID_ARGUMENT);
    for (double v : backward.a) EXPECT_EQ(v, 0.0);

    SavedBuffer bigger = saved_buffer<double>(c, o);
    bigger.words.push_back(0);
    ttc_options misaligned = o;
    misaligned.saved = reinterpret_cast<unsigned char*>(bigger.data()) + 4;
    misaligned.saved_bytes = bigger.bytes;
    EXPECT_EQ(solve<double>(c, misaligned, false).status, TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("aligned"), std::string::npos);
}

}  // namespace
}  // namespace ttc::test
