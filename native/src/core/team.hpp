// Teams: the threads that solve one problem together. The CPU backend solves a problem on one thread (SoloTeam);
// a CUDA kernel may give a problem to a warp or a block (docs/CUDA.md). Every routine of core/ takes its team.
//
// The contract that keeps one source of math for both:
//   - a routine splits its outputs over the ranks with `each` (output i belongs to rank i mod size), so no two ranks
//     write one element, and each output is computed by one rank in the serial order: the result does not depend on
//     the team size;
//   - a routine ends with team.sync(), so its results are visible to every rank when it returns;
//   - a scalar that steers control flow (a pivot, a norm, a failure) is computed by every rank from data that is
//     already synchronised, so all ranks take the same branch and no broadcast is needed. Only the leader (rank 0)
//     stores such a scalar.
//
// How a rank goes through its outputs is the team's kSplitsElements:
//   - false (SoloTeam, the CPU): a rank owns whole output rows and updates them in place, row operation by row
//     operation (axpy form), which a CPU vectorises along the row;
//   - true (the CUDA teams, and the host threads that stand in for them): outputs are split element by element,
//     consecutive elements of a row going to consecutive ranks, and each element is accumulated in a register and
//     stored once. On a GPU that makes a warp's loads and stores contiguous and keeps the read-modify-write of every
//     multiply-add out of memory.
// Both forms apply the same operations to each element in the same order, so they give the same bits.
#pragma once

#include "hd.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// One thread: the CPU backend, and the one-thread-per-problem CUDA kernel.
struct SoloTeam {
    static constexpr bool kSplitsElements = false;
    TTC_HD idx rank() const { return 0; }
    TTC_HD static constexpr idx size() { return 1; }
    TTC_HD void sync() const {}
};

// f(i) for the indices i < count that belong to this rank.
// The team's size is read once: through the reference, a GPU would reload it from memory after every store that f
// makes (the team may live in local memory, which a store through a generic pointer could alias).
template <class Team, class F>
TTC_HD void each(const Team& team, idx count, const F& f) {
    const idx size = team.size();
    for (idx i = team.rank(); i < count; i += size) f(i);
}

// f(r, c) for the elements of a rows x cols block that belong to this rank, consecutive elements of a row going to
// consecutive ranks (the element form of kSplitsElements): element e = r * cols + c for e = rank, rank + size, ...
// A GPU has no integer divider (a 64-bit e / cols took about 30 instructions), so the walk divides only once per call:
//   - a row at least as wide as the team: row by row, every size-th column from the rank's first one in that row,
//     which moves back by cols % size (mod size) from one row to the next, so the inner loop is a plain stride;
//   - a narrower row: the position advances by (size / cols, size % cols) with a carry, or, when cols divides size,
//     down the rank's column.
template <class Team, class F>
TTC_HD void each_element(const Team& team, idx rows, idx cols, const F& f) {
    if (rows <= 0 || cols <= 0) return;
    const idx size = team.size(), rank = team.rank();
    if (cols >= size) {
        const idx shift = cols % size;
        idx first = rank;
        for (idx r = 0; r < rows; ++r) {
            for (idx c = first; c < cols; c += size) f(r, c);
            first = first >= shift ? first - shift : first + size - shift;
        }
        return;
    }
    const idx row_step = size / cols, col_step = size % cols;
    idx r = rank / cols, c = rank % cols;
    if (col_step == 0) {  // the team spans whole rows (a warp over rows of 8 or 16): the rank keeps its column
        for (; r < rows; r += row_step) f(r, c);
        return;
    }
    while (r < rows) {
        f(r, c);
        r += row_step;
        c += col_step;
        if (c >= cols) {
            c -= cols;
            ++r;
        }
    }
}

template <class Team>
TTC_HD bool is_leader(const Team& team) {
    return team.rank() == 0;
}

TTC_ISA_END
}  // namespace ttc::core
