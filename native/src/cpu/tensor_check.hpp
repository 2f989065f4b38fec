// Validation of ttc_tensor descriptors: rank, shape, strides, capacity, int64 overflow, null data, overlap.
// Nothing here reads tensor values; see value_check.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "failure.hpp"
#include "ttc/ttc.h"

namespace ttc::cpu {

enum class Extent : std::uint8_t {
    Exact,      // shape[axis] == value
    AtMost,     // 0 <= shape[axis] <= value (upstream gradients: Tu <= T)
    HeadOrOne,  // shape[axis] == value or 1 (gradients summed over heads)
};

struct Axis {
    const char* name;  // "N", "H", "T", "n", "m", "T+1"
    std::int64_t value;
    Extent extent = Extent::Exact;
};

enum class Role : std::uint8_t { Input, Output };

// What a successful check learned about a tensor.
struct CheckedTensor {
    bool present = false;
    std::int64_t span = 0;  // elements addressed: max offset + 1 (0 when empty)
};

// Checks t against the axes. Optional tensors may be absent (ndim = 0). Inputs may have stride 0 on axis 1 only (the
// head axis); outputs must be dense row-major.
Failure check_tensor(const ttc_tensor& t, const char* name, const std::vector<Axis>& axes, Role role, bool optional,
                     std::size_t element_size, CheckedTensor* out);

// An entry for the overlap check.
struct Region {
    const char* name;
    const void* data;
    std::int64_t bytes;
    Role role;
};

// Fails when an output overlaps an input or another output.
Failure check_no_overlap(const std::vector<Region>& regions);

// "[2, 3, 4]" for the first ndim entries of shape.
std::string format_shape(const std::int64_t* shape, std::int64_t ndim);

}  // namespace ttc::cpu
