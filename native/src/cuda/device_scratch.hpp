// Stream-ordered device scratch (cudaMallocAsync / cudaFreeAsync): freed on the stream when the call's launches
// are done with it, without synchronising the host.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace ttc::cuda {

class DeviceScratch {
public:
    DeviceScratch(cudaStream_t stream) : stream_(stream) {}
    DeviceScratch(const DeviceScratch&) = delete;
    DeviceScratch& operator=(const DeviceScratch&) = delete;
    ~DeviceScratch() {
        if (ptr_ != nullptr) cudaFreeAsync(ptr_, stream_);
    }

    cudaError_t allocate(std::size_t bytes) { return cudaMallocAsync(&ptr_, bytes, stream_); }
    template <class T>
    T* as() const { return static_cast<T*>(ptr_); }

private:
    cudaStream_t stream_;
    void* ptr_ = nullptr;
};

}  // namespace ttc::cuda
