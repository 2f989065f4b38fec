// Host threads standing in for a warp or a block that solves one problem together (core/team.hpp): each rank is a
// std::thread, and sync() is a barrier. The host emulation runs the kernels' team code with these, so that a rank
// writing what another rank owns, or a missing sync, changes results or shows under ThreadSanitizer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "../../src/core/team.hpp"

namespace ttc::check {

// A reusable barrier for `size` threads (C++17 has no std::barrier).
class TeamBarrier {
public:
    explicit TeamBarrier(core::idx size) : size_(size) {}

    void arrive_and_wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        const std::uint64_t generation = generation_;
        if (++arrived_ == size_) {
            arrived_ = 0;
            ++generation_;
            released_.notify_all();
            return;
        }
        released_.wait(lock, [&] { return generation_ != generation; });
    }

private:
    std::mutex mutex_;
    std::condition_variable released_;
    core::idx size_;
    core::idx arrived_ = 0;
    std::uint64_t generation_ = 0;
};

class ThreadTeam {
public:
    static constexpr bool kSplitsElements = true;  // as the CUDA teams it stands in for
    ThreadTeam(core::idx rank, core::idx size, TeamBarrier* barrier) : rank_(rank), size_(size), barrier_(barrier) {}
    core::idx rank() const { return rank_; }
    core::idx size() const { return size_; }
    void sync() const { barrier_->arrive_and_wait(); }

private:
    core::idx rank_, size_;
    TeamBarrier* barrier_;
};

// Runs body(team) on `size` threads, one per rank, and returns when all have finished.
template <class Body>
void run_team(core::idx size, const Body& body) {
    TeamBarrier barrier(size);
    std::vector<std::thread> ranks;
    ranks.reserve(static_cast<std::size_t>(size));
    for (core::idx r = 0; r < size; ++r) ranks.emplace_back([&, r] { body(ThreadTeam(r, size, &barrier)); });
    for (std::thread& t : ranks) t.join();
}

}  // namespace ttc::check
