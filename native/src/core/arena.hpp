// A bump allocator over one buffer. Run a layout once with a measuring Arena (no buffer) to learn the size, then
// again over a real buffer: the workspace queries and the solvers share one layout function, on host and device.
#pragma once

#include "hd.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

template <class R>
class Arena {
public:
    TTC_HD Arena() {}  // measuring
    TTC_HD Arena(R* base, idx capacity) : base_(base), capacity_(capacity) {}

    TTC_HD R* take(idx count) {
        R* p = base_ ? base_ + used_ : nullptr;
        used_ += count;
        return p;
    }
    TTC_HD int* take_pivots(idx count) {
        // Pivots live in the same buffer: enough elements of R to hold `count` ints.
        const idx elems = (count * static_cast<idx>(sizeof(int)) + static_cast<idx>(sizeof(R)) - 1) /
                          static_cast<idx>(sizeof(R));
        return reinterpret_cast<int*>(take(elems));
    }
    TTC_HD idx used() const { return used_; }
    TTC_HD bool overflowed() const { return base_ && used_ > capacity_; }

private:
    R* base_ = nullptr;
    idx capacity_ = 0;
    idx used_ = 0;
};

TTC_ISA_END
}  // namespace ttc::core
