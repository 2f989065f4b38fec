// One ABI call decoded from fuzzer bytes (DESIGN.md §8): the form, work and dtype, the dimensions (small, negative or
// huge), the options (absent, valid or out of range), and every tensor of the problem, solution, upstream and grads:
// absent, null data, well formed, or with a rank, shape, stride or capacity changed. Each buffer holds exactly the
// capacity its descriptor declares (at most kMaxElements), so a read or write beyond it is an ASan report.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "ttc/ttc.h"

namespace ttc::fuzz {

constexpr std::int64_t kMaxElements = std::int64_t(1) << 16;  // per tensor; larger declared sizes are capped

enum class Form { Explicit, Discounted };
enum class Work { Forward, Backward };
enum class Role { Input, Output };

struct Dims {
    std::int64_t N, H, T, n, m;
};

inline std::int64_t saturating_product(const std::vector<std::int64_t>& shape) {
    std::int64_t count = 1;
    for (std::int64_t e : shape) {
        if (e <= 0) return 0;
        if (count > std::numeric_limits<std::int64_t>::max() / e) return std::numeric_limits<std::int64_t>::max();
        count *= e;
    }
    return count;
}

// One tensor's buffer and descriptor, in element type R.
template <class R>
struct FuzzTensor {
    std::unique_ptr<R[]> data;
    std::int64_t elements = 0;
    ttc_tensor descriptor{};

    std::vector<R> snapshot() const { return std::vector<R>(data.get(), data.get() + elements); }
    bool equals(const std::vector<R>& before) const {
        return elements == 0 ||
               std::memcmp(before.data(), data.get(), static_cast<std::size_t>(elements) * sizeof(R)) == 0;
    }
};

// Values with the failure modes of §8: mostly solvable magnitudes, sometimes 0, negative, tiny, huge, NaN, Inf.
template <class R>
R palette_value(std::uint8_t code) {
    static const double values[] = {1.0,  0.5,  0.8,  1.25, -0.7, 0.3, 2.0,     -1.0,   0.9,     0.1,
                                    0.0,  -0.0, 1e-30, 1e30, NAN,  INFINITY, -INFINITY, 1e-300, 4.0, 0.6};
    return static_cast<R>(values[code % (sizeof(values) / sizeof(values[0]))]);
}

template <class R>
class RequestDecoder {
public:
    explicit RequestDecoder(FuzzedDataProvider& in) : in_(in) {}

    Dims dims() {
        auto pick = [&](std::int64_t lo, std::int64_t hi) {
            switch (in_.ConsumeIntegralInRange<int>(0, 15)) {
                case 0: return std::int64_t(-1);
                case 1: return std::int64_t(1) << 40;
                case 2: return std::numeric_limits<std::int64_t>::max();
                default: return in_.ConsumeIntegralInRange<std::int64_t>(lo, hi);
            }
        };
        return Dims{pick(0, 3), pick(0, 3), pick(0, 12), pick(0, 6), pick(0, 6)};
    }

    // A tensor meant to have `shape`; inputs may broadcast their head axis (stride 0).
    FuzzTensor<R> tensor(std::vector<std::int64_t> shape, Role role, bool optional) {
        FuzzTensor<R> t;
        const int mode = in_.ConsumeIntegralInRange<int>(0, 15);
        if (mode == 0 && optional) return t;  // absent
        std::vector<std::int64_t> strides(shape.size(), 0);
        const bool broadcast = role == Role::Input && shape.size() > 1 && in_.ConsumeBool() && in_.ConsumeBool();
        std::int64_t stride = 1;
        for (std::size_t k = shape.size(); k-- > 0;) {
            const bool zero = broadcast && k == 1;
            strides[k] = zero ? 0 : stride;
            const std::int64_t e = shape[k] > 0 ? shape[k] : 1;
            stride = zero || stride > std::numeric_limits<std::int64_t>::max() / e ? stride : stride * e;
        }
        std::vector<std::int64_t> stored = shape;
        if (broadcast) stored[1] = 1;
        std::int64_t capacity = saturating_product(stored);
        switch (mode) {
            case 1: shape.push_back(1), strides.push_back(1); break;  // rank too high
            case 2:
                if (!shape.empty()) shape.pop_back(), strides.pop_back();  // rank too low
                break;
            case 3:
                if (!shape.empty())
                    shape[in_.ConsumeIntegralInRange<std::size_t>(0, shape.size() - 1)] =
                        in_.ConsumeIntegralInRange<std::int64_t>(-2, 8);
                break;
            case 4:
                if (!strides.empty())
                    strides[in_.ConsumeIntegralInRange<std::size_t>(0, strides.size() - 1)] =
                        in_.PickValueInArray<std::int64_t>({-1, 0, 2, 7, std::int64_t(1) << 40,
                                                           std::numeric_limits<std::int64_t>::max()});
                break;
            case 5: capacity = capacity > 0 ? capacity - 1 : 0; break;
            case 6: capacity = in_.ConsumeIntegralInRange<std::int64_t>(0, 64); break;
            default: break;
        }
        if (capacity > kMaxElements) capacity = kMaxElements;
        t.elements = capacity > 0 ? capacity : 0;
        t.data.reset(new R[static_cast<std::size_t>(t.elements > 0 ? t.elements : 1)]);
        fill(t, role);
        t.descriptor.data = mode == 7 ? nullptr : t.data.get();
        t.descriptor.ndim = static_cast<std::int64_t>(shape.size());
        for (std::size_t k = 0; k < shape.size() && k < TTC_MAX_DIMS; ++k) {
            t.descriptor.shape[k] = shape[k];
            t.descriptor.strides[k] = strides[k];
        }
        if (mode == 8) t.descriptor.ndim = in_.PickValueInArray<std::int64_t>({-1, TTC_MAX_DIMS + 1, 1000});
        t.descriptor.capacity = capacity;
        return t;
    }

    ttc_options* options(ttc_options* storage) {
        switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
            case 0: return nullptr;
            case 1: *storage = ttc_options{TTC_SOLVER_SYMPLECTIC, TTC_STORAGE_CHECKPOINTS, nullptr, 0}; return storage;
            case 2: *storage = ttc_options{TTC_SOLVER_RICCATI, TTC_STORAGE_FULL, nullptr, 0}; return storage;
            default:
                *storage = ttc_options{in_.ConsumeIntegral<std::int32_t>(), in_.ConsumeIntegral<std::int32_t>(), nullptr, 0};
                return storage;
        }
    }

private:
    // Inputs get palette values from a per-tensor pattern; outputs a sentinel, to see what a call writes.
    void fill(FuzzTensor<R>& t, Role role) {
        if (role == Role::Output) {
            for (std::int64_t i = 0; i < t.elements; ++i) t.data[i] = static_cast<R>(-12345.0);
            return;
        }
        // Pattern 0..63: one finite non-zero value everywhere (a constant c >= 0 is a PSD matrix, so these solve);
        // 64..191: the first 10 palette entries (finite, non-zero) at random; above, the whole palette.
        const std::uint8_t pattern = in_.ConsumeIntegral<std::uint8_t>();
        std::uint32_t state = 0x9e3779b9u ^ pattern;
        for (std::int64_t i = 0; i < t.elements; ++i) {
            state = state * 1664525u + 1013904223u;
            const std::uint8_t code = static_cast<std::uint8_t>(state >> 24);
            t.data[i] = palette_value<R>(pattern < 64 ? pattern % 10 : pattern < 192 ? code % 10 : code);
        }
    }

    FuzzedDataProvider& in_;
};

}  // namespace ttc::fuzz
