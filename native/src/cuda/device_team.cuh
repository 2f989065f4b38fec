// The team of a unit on the device (core/team.hpp): `size` consecutive threads of a block, with size 1 (a thread),
// 32 (a warp) or the whole block. The members are host/device so that the core templates instantiate cleanly; only
// device code calls them.
#pragma once

#include <cuda_runtime.h>

#include "../core/team.hpp"

namespace ttc::cuda {

class DeviceTeam {
public:
    static constexpr bool kSplitsElements = true;
    TTC_HD explicit DeviceTeam(core::idx size) : size_(size) {
#if defined(__CUDA_ARCH__)
        rank_ = static_cast<core::idx>(threadIdx.x) % size;
#endif
    }
    TTC_HD core::idx rank() const { return rank_; }
    TTC_HD core::idx size() const { return size_; }
    TTC_HD void sync() const {
#if defined(__CUDA_ARCH__)
        if (size_ == 1) return;
        if (size_ == 32) {
            __syncwarp();
        } else {
            __syncthreads();
        }
#endif
    }

private:
    core::idx rank_ = 0, size_;
};

}  // namespace ttc::cuda
