// int64 products and sums that report overflow instead of wrapping, for the tensor descriptor checks. Standard C++,
// so that MSVC (which has no __builtin_mul_overflow) builds them too.
#pragma once

#include <cstdint>
#include <limits>

namespace ttc::cpu {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

// Writes a * b to *out and returns false, or returns true (and leaves *out) when the product overflows int64.
inline bool mul_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) {
    const bool overflows = a > 0 ? (b > 0 ? a > kInt64Max / b : b < kInt64Min / a)
                                 : (b > 0 ? a < kInt64Min / b : a != 0 && b < kInt64Max / a);
    if (!overflows) *out = a * b;
    return overflows;
}

// Writes a + b to *out and returns false, or returns true (and leaves *out) when the sum overflows int64.
inline bool add_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) {
    const bool overflows = b > 0 ? a > kInt64Max - b : a < kInt64Min - b;
    if (!overflows) *out = a + b;
    return overflows;
}

}  // namespace ttc::cpu
