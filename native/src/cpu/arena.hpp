// A bump allocator over one buffer. Run a layout once with a measuring Arena (no buffer) to learn the size, then
// again over a real buffer: ttc_workspace_size and the solvers share one layout function.
#pragma once

#include <cstdint>
#include <vector>

namespace ttc::cpu {

template <class R>
class Arena {
public:
    Arena() = default;  // measuring
    explicit Arena(std::vector<R>& storage) : base_(storage.data()), capacity_(static_cast<std::int64_t>(storage.size())) {}

    R* take(std::int64_t count) {
        R* p = base_ ? base_ + used_ : nullptr;
        used_ += count;
        return p;
    }
    int* take_pivots(std::int64_t count) {
        // Pivots live in the same buffer: enough elements of R to hold `count` ints.
        const std::int64_t elems = (count * static_cast<std::int64_t>(sizeof(int)) + sizeof(R) - 1) / sizeof(R);
        return reinterpret_cast<int*>(take(elems));
    }
    std::int64_t used() const { return used_; }
    bool overflowed() const { return base_ && used_ > capacity_; }

private:
    R* base_ = nullptr;
    std::int64_t capacity_ = 0;
    std::int64_t used_ = 0;
};

}  // namespace ttc::cpu
