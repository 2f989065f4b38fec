// How the element form (core/team.hpp) splits outputs over the ranks of a team, for narrow and wide blocks, teams of
// every size the kernels use, and odd ones:
//   - each_element gives every element of a rows x cols block to exactly one rank, the one the flat order names
//     (element r * cols + c to rank (r * cols + c) mod size);
//   - the element form of a gemm, run rank after rank, gives the row form's bits: every output is computed once, by
//     the same operations in the same order, for products narrower and wider than the team.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "../src/core/dense.hpp"

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

// C = beta C + alpha A B (gemm_nn) and C = beta C + alpha A' B (gemm_tn), by every rank of a team in turn.
template <class Team>
std::vector<double> gemm_by(const Team& team_of_rank, idx size, bool transposed, idx M, idx N, idx K, double alpha,
                            const std::vector<double>& A, const std::vector<double>& B, double beta,
                            std::vector<double> C) {
    for (idx rank = 0; rank < size; ++rank) {
        const auto team = team_of_rank(rank);
        if (transposed)
            ttc::core::gemm_tn(team, M, N, K, alpha, A.data(), M, B.data(), N, beta, C.data(), N);
        else
            ttc::core::gemm_nn(team, M, N, K, alpha, A.data(), K, B.data(), N, beta, C.data(), N);
    }
    return C;
}

TEST(TeamSplit, GemmElementFormGivesTheRowFormsBits) {
    std::mt19937_64 rng(20261124);
    std::normal_distribution<double> normal;
    auto random = [&](idx count) {
        std::vector<double> v(static_cast<size_t>(count));
        for (double& x : v) x = normal(rng);
        return v;
    };
    for (const idx size : {1, 2, 3, 11, 32, 33, 64, 96, 256})
        for (const idx M : {1, 3, 8, 16, 17, 64})
            for (const idx N : {1, 2, 3, 8, 16, 31, 64, 130})
                for (const idx K : {1, 5, 16})
                    for (const bool transposed : {false, true})
                        for (const double beta : {0.0, 1.0, -0.5}) {
                            const std::vector<double> A = random(M * K), B = random(K * N), C = random(M * N);
                            const double alpha = transposed ? -1.0 : 1.0;
                            const auto solo = gemm_by([](idx) { return ttc::core::SoloTeam{}; }, 1, transposed, M, N,
                                                      K, alpha, A, B, beta, C);
                            const auto split = gemm_by([&](idx rank) { return RankOf{rank, size}; }, size, transposed,
                                                       M, N, K, alpha, A, B, beta, C);
                            ASSERT_EQ(split, solo) << M << " x " << N << " x " << K << (transposed ? " (A')" : "")
                                                   << ", beta " << beta << ", team of " << size;
                        }
}

}  // namespace
