// The overflow checks of the tensor descriptor checks (src/cpu/checked_int.hpp): exact at the int64 boundaries, and
// the same answers as GCC/Clang's checked builtins where the compiler has them.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "../src/cpu/checked_int.hpp"

namespace {

using ttc::cpu::add_overflows;
using ttc::cpu::mul_overflows;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
// floor(sqrt(2^63 - 1)): its square fits, the next one's does not.
constexpr std::int64_t kRoot = 3037000499;

struct Case {
    std::int64_t a, b;
    bool overflows;
    std::int64_t result;  // when it does not overflow
};

TEST(CheckedInt, ProductsAtTheBoundaries) {
    const Case cases[] = {
        {0, kMin, false, 0},
        {kMin, 0, false, 0},
        {1, kMin, false, kMin},
        {kMin, 1, false, kMin},
        {-1, kMax, false, -kMax},
        {-1, kMin, true, 0},
        {kMin, -1, true, 0},
        {2, kMax / 2, false, kMax - 1},
        {2, kMax / 2 + 1, true, 0},
        {-2, kMin / 2, true, 0},
        {2, kMin / 2, false, kMin},
        {-2, kMin / 2 + 1, false, kMax - 1},
        {kRoot, kRoot, false, kRoot * kRoot},
        {kRoot + 1, kRoot + 1, true, 0},
        {-kRoot, kRoot, false, -(kRoot * kRoot)},
        {-(kRoot + 1), -(kRoot + 1), true, 0},
        {std::int64_t(1) << 40, std::int64_t(1) << 22, false, std::int64_t(1) << 62},
        {std::int64_t(1) << 40, std::int64_t(1) << 23, true, 0},
        {-(std::int64_t(1) << 40), std::int64_t(1) << 23, false, kMin},
        {-(std::int64_t(1) << 40), std::int64_t(1) << 24, true, 0},
    };
    for (const Case& c : cases) {
        std::int64_t out = 7;
        EXPECT_EQ(mul_overflows(c.a, c.b, &out), c.overflows) << c.a << " * " << c.b;
        EXPECT_EQ(out, c.overflows ? 7 : c.result) << c.a << " * " << c.b;
    }
}

TEST(CheckedInt, SumsAtTheBoundaries) {
    const Case cases[] = {
        {kMax, 0, false, kMax},      {kMax, 1, true, 0},      {kMax - 1, 1, false, kMax},
        {kMin, 0, false, kMin},      {kMin, -1, true, 0},     {kMin + 1, -1, false, kMin},
        {kMax, kMin, false, -1},     {kMin, kMax, false, -1}, {kMax, kMax, true, 0},
        {kMin, kMin, true, 0},       {-1, kMin, true, 0},     {0, kMin, false, kMin},
    };
    for (const Case& c : cases) {
        std::int64_t out = 7;
        EXPECT_EQ(add_overflows(c.a, c.b, &out), c.overflows) << c.a << " + " << c.b;
        EXPECT_EQ(out, c.overflows ? 7 : c.result) << c.a << " + " << c.b;
    }
}

#if defined(__GNUC__)
// Operands of every size and sign, near the boundaries and random in magnitude, against the compiler's builtins.
TEST(CheckedInt, AgreesWithTheCompilerBuiltins) {
    std::vector<std::int64_t> values = {0, 1, -1, 2, -2, kMax, kMin, kMax - 1, kMin + 1, kMax / 2, kMin / 2,
                                        kRoot, -kRoot, kRoot + 1, -kRoot - 1};
    std::mt19937_64 rng(11);
    for (int i = 0; i < 200; ++i) {
        const int bits = static_cast<int>(rng() % 63);
        const std::int64_t v = static_cast<std::int64_t>(rng() >> (63 - bits) >> 1);
        values.push_back(rng() % 2 ? v : -v);
    }
    for (std::int64_t a : values)
        for (std::int64_t b : values) {
            std::int64_t ours = 0, theirs = 0;
            const bool mul = mul_overflows(a, b, &ours);
            ASSERT_EQ(mul, __builtin_mul_overflow(a, b, &theirs)) << a << " * " << b;
            if (!mul) {
                ASSERT_EQ(ours, theirs) << a << " * " << b;
            }
            const bool add = add_overflows(a, b, &ours);
            ASSERT_EQ(add, __builtin_add_overflow(a, b, &theirs)) << a << " + " << b;
            if (!add) {
                ASSERT_EQ(ours, theirs) << a << " + " << b;
            }
        }
}
#endif

}  // namespace
