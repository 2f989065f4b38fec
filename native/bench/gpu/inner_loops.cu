// The team routines whose inner loops carry the solve kernels' work (docs/CUDA.md), each in a kernel of its own, so
// that kernel_code.py can read their loops in the SASS without a GPU. f32, a team of `size` threads on a problem.
#include "../../src/core/lu.hpp"
#include "../../src/core/reorthonormalise.hpp"
#include "../../src/cuda/device_team.cuh"

using ttc::core::idx;
using ttc::cuda::DeviceTeam;

// Y2 += Y1 Q_{t-1} and the other n x n products of E5.
__global__ void gemm_nn(const float* A, const float* B, float* C, idx n, idx size) {
    ttc::core::gemm_nn(DeviceTeam(size), n, n, n, 1.f, A, n, B, n, 1.f, C, n);
}

// One Gram-Schmidt round of the element form, on W staged transposed: the later rows' dots with row i, then their
// update.
__global__ void gram_schmidt_round(float* Wt1, float* Wt2, float* y, float* scratch, idx n, idx i, idx size, int* ok) {
    *ok = ttc::core::gram_schmidt_round(DeviceTeam(size), n, Wt1, Wt2, 2, y, i, scratch);
}

// The LU of E6 and E9 (its trailing update is element by element).
__global__ void lu_factor(float* M, idx n, idx size, int* pivots, int* ok) {
    *ok = ttc::core::lu_factor(DeviceTeam(size), n, M, n, pivots);
}
