// The last launch of every CUDA call: the call's result into the caller's device status word.
#include "solve_kernels.cuh"

namespace ttc::cuda {
namespace {

__global__ void publish_kernel(StatusWords words, unsigned long long* user_word) {
    *user_word = published_word(*words.values, *words.numeric);
}

}  // namespace

int launch_publish_status(StatusWords words, unsigned long long* user_word, void* stream) {
    publish_kernel<<<1, 1, 0, static_cast<cudaStream_t>(stream)>>>(words, user_word);
    return static_cast<int>(cudaGetLastError());
}

}  // namespace ttc::cuda
