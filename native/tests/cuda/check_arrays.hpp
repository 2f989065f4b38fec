// Named arrays of one check case, living either in host memory (the CPU f64 reference) or in device memory (the
// CUDA backend, f32 or f64), and described as ttc_tensors. Values are kept in f64 on the host side of the check.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "ttc/ttc.h"

namespace ttc::check {

using Vec = std::vector<double>;
using Shape = std::vector<std::int64_t>;

inline void cuda_or_die(cudaError_t e, const char* what) {
    if (e == cudaSuccess) return;
    std::fprintf(stderr, "ttc_cuda_check: %s: %s\n", what, cudaGetErrorString(e));
    std::exit(2);
}

inline std::int64_t count_of(const Shape& s) {
    std::int64_t c = 1;
    for (std::int64_t e : s) c *= e;
    return c;
}

// One named array: its shape, and whether the head axis (axis 1) is broadcast with stride 0 (extent 1 stored).
struct ArraySpec {
    Shape shape;
    bool broadcast_head = false;

    std::int64_t stored() const {
        Shape s = shape;
        if (broadcast_head) s[1] = 1;
        return count_of(s);
    }
};

template <class R>
class Arrays {
public:
    explicit Arrays(bool device) : device_(device) {}
    Arrays(const Arrays&) = delete;
    Arrays& operator=(const Arrays&) = delete;
    ~Arrays() {
        for (auto& [name, a] : arrays_)
            if (device_) cudaFree(a.data);
            else delete[] a.data;
    }

    // Allocates `name` and fills it from `values` (stored() elements), or with zeros when values is empty.
    void put(const std::string& name, const ArraySpec& spec, const Vec& values) {
        Entry e{spec, nullptr};
        const std::int64_t n = spec.stored();
        std::vector<R> host(n, R(0));
        for (std::int64_t i = 0; i < n && i < static_cast<std::int64_t>(values.size()); ++i) host[i] = R(values[i]);
        if (device_) {
            void* p = nullptr;
            cuda_or_die(cudaMalloc(&p, (n > 0 ? n : 1) * sizeof(R)), "cudaMalloc");
            cuda_or_die(cudaMemcpy(p, host.data(), n * sizeof(R), cudaMemcpyHostToDevice), "cudaMemcpy to device");
            e.data = static_cast<R*>(p);
        } else {
            e.data = new R[n > 0 ? n : 1];
            std::copy(host.begin(), host.end(), e.data);
        }
        arrays_[name] = e;
    }

    ttc_tensor tensor(const std::string& name) const {
        ttc_tensor t{};
        auto it = arrays_.find(name);
        if (it == arrays_.end()) return t;  // absent
        const ArraySpec& s = it->second.spec;
        t.data = it->second.data;
        t.ndim = static_cast<std::int64_t>(s.shape.size());
        std::int64_t stride = 1;
        for (std::int64_t k = t.ndim - 1; k >= 0; --k) {
            t.shape[k] = s.shape[k];
            const bool zero = s.broadcast_head && k == 1;
            t.strides[k] = zero ? 0 : stride;
            stride *= zero ? 1 : s.shape[k];
        }
        t.capacity = s.stored();
        return t;
    }

    Vec read(const std::string& name) const {
        const Entry& e = arrays_.at(name);
        const std::int64_t n = e.spec.stored();
        std::vector<R> host(n);
        if (device_) {
            cuda_or_die(cudaMemcpy(host.data(), e.data, n * sizeof(R), cudaMemcpyDeviceToHost), "cudaMemcpy to host");
        } else {
            std::copy(e.data, e.data + n, host.begin());
        }
        return Vec(host.begin(), host.end());
    }

private:
    struct Entry {
        ArraySpec spec;
        R* data;
    };
    bool device_;
    std::map<std::string, Entry> arrays_;
};

}  // namespace ttc::check
