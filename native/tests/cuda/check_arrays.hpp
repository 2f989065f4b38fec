// Named arrays of one check case, living in the memory of a backend (HostMemory here; DeviceMemory in
// device_memory.hpp), and described as ttc_tensors. Values are kept in f64 on the host side of the check.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "ttc/ttc.h"

namespace ttc::check {

using Vec = std::vector<double>;
using Shape = std::vector<std::int64_t>;

// The memory of the CPU reference and of the host emulation of the CUDA kernels.
struct HostMemory {
    static void* allocate(std::size_t bytes) { return ::operator new(bytes); }
    static void release(void* p) { ::operator delete(p); }
    static void upload(void* to, const void* from, std::size_t bytes) { std::memcpy(to, from, bytes); }
    static void download(void* to, const void* from, std::size_t bytes) { std::memcpy(to, from, bytes); }
};

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

template <class R, class Memory>
class Arrays {
public:
    Arrays() = default;
    Arrays(const Arrays&) = delete;
    Arrays& operator=(const Arrays&) = delete;
    ~Arrays() {
        for (auto& [name, a] : arrays_) Memory::release(a.data);
    }

    // Allocates `name` and fills it from `values` (stored() elements), or with zeros when values is empty.
    void put(const std::string& name, const ArraySpec& spec, const Vec& values) {
        Entry e{spec, nullptr};
        const std::int64_t n = spec.stored();
        std::vector<R> host(n, R(0));
        for (std::int64_t i = 0; i < n && i < static_cast<std::int64_t>(values.size()); ++i) host[i] = R(values[i]);
        e.data = static_cast<R*>(Memory::allocate((n > 0 ? n : 1) * sizeof(R)));
        Memory::upload(e.data, host.data(), n * sizeof(R));
        if (auto old = arrays_.find(name); old != arrays_.end()) Memory::release(old->second.data);
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
        Memory::download(host.data(), e.data, n * sizeof(R));
        return Vec(host.begin(), host.end());
    }

private:
    struct Entry {
        ArraySpec spec;
        R* data;
    };
    std::map<std::string, Entry> arrays_;
};

}  // namespace ttc::check
