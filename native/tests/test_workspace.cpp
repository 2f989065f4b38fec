// The workspace query: forward memory is O(n^2) per problem and independent of T without a trajectory (DESIGN.md §7),
// checkpoints store O(sqrt(T) n^2), full storage O(T n^2).
#include <gtest/gtest.h>

#include "ttc/ttc.h"

namespace {

std::int64_t bytes(int dtype, int work, std::int64_t n, std::int64_t m, std::int64_t T, ttc_solver solver,
                   ttc_storage storage) {
    ttc_options o{solver, storage, nullptr, 0};
    std::int64_t b = -1;
    EXPECT_EQ(ttc_workspace_size(dtype, work, n, m, T, &o, &b), TTC_STATUS_OK) << ttc_last_error();
    return b;
}

TEST(Workspace, ForwardWithoutTrajectoryIsIndependentOfHorizon) {
    const auto small = bytes(TTC_DTYPE_F64, TTC_WORK_FORWARD, 16, 16, 8, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    const auto large = bytes(TTC_DTYPE_F64, TTC_WORK_FORWARD, 16, 16, 4096, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    EXPECT_EQ(small, large);
    EXPECT_LT(small, 64 * 16 * 16 * 8);
}

TEST(Workspace, CheckpointsGrowLikeSqrtHorizon) {
    const auto ck1 = bytes(TTC_DTYPE_F64, TTC_WORK_FORWARD_TRAJECTORY, 8, 8, 256, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    const auto ck4 = bytes(TTC_DTYPE_F64, TTC_WORK_FORWARD_TRAJECTORY, 8, 8, 4096, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    const auto full = bytes(TTC_DTYPE_F64, TTC_WORK_FORWARD_TRAJECTORY, 8, 8, 4096, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_FULL);
    EXPECT_GT(ck4, 2 * ck1);  // 16x the horizon: about 4x the checkpointed state
    EXPECT_LT(ck4, 6 * ck1);
    EXPECT_LT(8 * ck4, full);
    EXPECT_GT(full, 2 * 4096 * 8 * 8 * 8);
}

TEST(Workspace, Float32IsSmallerThanFloat64AndBackwardLargerThanForward) {
    const auto f32 = bytes(TTC_DTYPE_F32, TTC_WORK_BACKWARD, 16, 8, 64, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    const auto f64 = bytes(TTC_DTYPE_F64, TTC_WORK_BACKWARD, 16, 8, 64, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    const auto fwd = bytes(TTC_DTYPE_F64, TTC_WORK_FORWARD, 16, 8, 64, TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS);
    EXPECT_NEAR(static_cast<double>(2 * f32), static_cast<double>(f64), 16.0 * 16);  // pivots are ints in both
    EXPECT_GT(f64, fwd);
}

}  // namespace
