// The memory of the CUDA backend for ttc_cuda_check: cudaMalloc'd device arrays; any CUDA error ends the check with
// exit status 2 (the GPU could not be used), not 1 (a result out of tolerance).
#pragma once

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

namespace ttc::check {

inline void cuda_or_die(cudaError_t e, const char* what) {
    if (e == cudaSuccess) return;
    std::fprintf(stderr, "ttc_cuda_check: %s: %s\n", what, cudaGetErrorString(e));
    std::exit(2);
}

struct DeviceMemory {
    static void* allocate(std::size_t bytes) {
        void* p = nullptr;
        cuda_or_die(cudaMalloc(&p, bytes), "cudaMalloc");
        return p;
    }
    static void release(void* p) { cudaFree(p); }
    static void upload(void* to, const void* from, std::size_t bytes) {
        cuda_or_die(cudaMemcpy(to, from, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
    }
    static void download(void* to, const void* from, std::size_t bytes) {
        cuda_or_die(cudaMemcpy(to, from, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
    }
};

}  // namespace ttc::check
