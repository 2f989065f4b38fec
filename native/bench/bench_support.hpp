// What the native CPU benchmarks share: dense tensor descriptors, the size sweep, and the counters (DESIGN.md §7).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "ttc/ttc.h"

namespace ttc::bench {

template <class R>
ttc_tensor dense(const std::vector<R>& v, std::initializer_list<std::int64_t> shape) {
    ttc_tensor t{};
    t.data = const_cast<R*>(v.data());
    t.ndim = static_cast<std::int64_t>(shape.size());
    std::int64_t i = 0, stride = 1;
    for (auto s : shape) t.shape[i++] = s;
    for (std::int64_t k = t.ndim - 1; k >= 0; --k) {
        t.strides[k] = stride;
        stride *= t.shape[k];
    }
    t.capacity = static_cast<std::int64_t>(v.size());
    return t;
}

// T = 8 .. 64, n = m = 16, N = 512 problems; milliseconds of wall time (the library runs its own threads).
inline void sweep(benchmark::internal::Benchmark* b) {
    for (std::int64_t T : {8, 16, 32, 64}) b->Args({T, 16, 512});
    b->Unit(benchmark::kMillisecond)->UseRealTime();
}

// problems/s, and GFLOP/s counting 2n^3 + n^2 m multiply-adds per step as useful work.
inline void count_useful_work(benchmark::State& state, std::int64_t N, std::int64_t T, std::int64_t n, std::int64_t m) {
    const double useful = double(N) * T * (2.0 * n * n * n + double(n) * n * m) * 2.0;  // multiply-adds, as flops
    state.counters["problems/s"] = benchmark::Counter(double(N), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["GFLOP/s"] = benchmark::Counter(useful * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace ttc::bench
