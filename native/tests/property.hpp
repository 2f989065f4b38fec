// Property runner: each trial gets its own seed; a failure prints the seed and how to replay it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace ttc::test {

inline std::uint64_t base_seed() {
    const char* env = std::getenv("TTC_TEST_SEED");
    return env ? std::strtoull(env, nullptr, 10) : 20261123ULL;
}

// Runs property(seed) for `trials` seeds derived from the base seed (TTC_TEST_SEED overrides it, TTC_TEST_TRIALS
// overrides the count). Stops at the first failing seed.
template <class Property>
void for_each_seed(int trials, Property property) {
    if (const char* env = std::getenv("TTC_TEST_TRIALS")) trials = std::atoi(env);
    const std::uint64_t base = base_seed();
    for (int i = 0; i < trials; ++i) {
        const std::uint64_t seed = base + static_cast<std::uint64_t>(i) * 7919ULL;
        SCOPED_TRACE("seed " + std::to_string(seed) + " (replay: TTC_TEST_SEED=" + std::to_string(seed) +
                     " TTC_TEST_TRIALS=1)");
        property(seed);
        if (::testing::Test::HasFailure()) return;
    }
}

}  // namespace ttc::test
