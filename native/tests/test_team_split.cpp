// How core/team.hpp splits a block of outputs over the ranks of a team (each_element): every element of a rows x cols
// block goes to exactly one rank, and to the rank that the flat order gives it (element r * cols + c to rank
// (r * cols + c) mod size), for narrow and wide rows, teams of every size the kernels use, and odd ones.
#include <gtest/gtest.h>

#include <vector>

#include "../src/core/team.hpp"

namespace {

using ttc::core::idx;

struct RankOf {
    static constexpr bool kSplitsElements = true;
    idx rank_, size_;
    idx rank() const { return rank_; }
    idx size() const { return size_; }
    void sync() const {}
};

// owner[r * cols + c]: the rank that visited the element, or -1; a second visit or one outside the block is a failure.
void expect_each_element_owns_by_flat_order(idx rows, idx cols, idx size) {
    std::vector<idx> owner(static_cast<size_t>(rows * cols), -1);
    for (idx rank = 0; rank < size; ++rank)
        ttc::core::each_element(RankOf{rank, size}, rows, cols, [&](idx r, idx c) {
            ASSERT_TRUE(r >= 0 && r < rows && c >= 0 && c < cols)
                << "(" << r << ", " << c << ") outside " << rows << " x " << cols << ", team of " << size;
            idx& o = owner[static_cast<size_t>(r * cols + c)];
            ASSERT_EQ(o, -1) << "(" << r << ", " << c << ") visited twice, team of " << size;
            o = rank;
        });
    for (idx e = 0; e < rows * cols; ++e)
        ASSERT_EQ(owner[static_cast<size_t>(e)], e % size)
            << "element " << e << " of " << rows << " x " << cols << ", team of " << size;
}

TEST(TeamSplit, EveryElementOnceToItsFlatOrderRank) {
    for (const idx size : {1, 2, 3, 7, 11, 31, 32, 33, 64, 96, 128, 256})
        for (idx rows = 0; rows <= 9; ++rows)
            for (idx cols = 0; cols <= 300; ++cols) {
                expect_each_element_owns_by_flat_order(rows, cols, size);
                if (HasFatalFailure()) return;
            }
}

TEST(TeamSplit, EmptyBlocksVisitNothing) {
    int visits = 0;
    for (const idx rows : {-1, 0, 5})
        for (const idx cols : {-1, 0, 5})
            if (rows <= 0 || cols <= 0)
                ttc::core::each_element(RankOf{0, 4}, rows, cols, [&](idx, idx) { ++visits; });
    EXPECT_EQ(visits, 0);
}

}  // namespace
