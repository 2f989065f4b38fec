// The library's only shared state: a lazily created std::thread pool (no OpenMP: libtorch ships its own libgomp).
#pragma once

#include <cstdint>
#include <functional>

namespace ttc::cpu {

// body(begin, end) processes units [begin, end). Units are handed out in increasing order, in about four chunks per
// thread. Runs on the calling thread alone when the pool is busy with another caller or has one thread.
// body must not throw.
void parallel_for(std::int64_t units, const std::function<void(std::int64_t, std::int64_t)>& body);

void set_thread_count(int threads);
int thread_count();

}  // namespace ttc::cpu
