// The device status word of ttc_cuda.h: 0 while every problem is fine, else
// ((TTC_CUDA_STATUS_BATCH_LIMIT - 1 - batch_index) << 8) | status, so that an atomic max keeps the lowest failing
// batch index whatever the order in which threads finish.
#pragma once

#include "../core/hd.hpp"
#include "ttc/ttc_cuda.h"

namespace ttc::cuda {

using core::idx;

TTC_HD unsigned long long encode_status(ttc_status status, idx batch_index) {
    const unsigned long long rank = static_cast<unsigned long long>(TTC_CUDA_STATUS_BATCH_LIMIT - 1 - batch_index);
    return (rank << 8) | static_cast<unsigned long long>(status);
}

TTC_HD void decode_status(unsigned long long word, ttc_status* status, idx* batch_index) {
    if (word == 0) {
        *status = TTC_STATUS_OK;
        *batch_index = -1;
        return;
    }
    *status = static_cast<ttc_status>(word & 0xffu);
    *batch_index = TTC_CUDA_STATUS_BATCH_LIMIT - 1 - static_cast<idx>(word >> 8);
}

// The two words a call keeps on the device: value errors found before solving (they gate every output write), and
// numeric failures found while solving.
struct StatusWords {
    unsigned long long* values = nullptr;
    unsigned long long* numeric = nullptr;
};

}  // namespace ttc::cuda
