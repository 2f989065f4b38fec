#include "tensor_check.hpp"

#include <cstdint>

#include "checked_int.hpp"

namespace ttc::cpu {
namespace {

std::string expected_text(const std::vector<Axis>& axes) {
    std::string names = "[", values = "[";
    for (std::size_t i = 0; i < axes.size(); ++i) {
        if (i) {
            names += ", ";
            values += ", ";
        }
        names += axes[i].name;
        switch (axes[i].extent) {
            case Extent::Exact: values += std::to_string(axes[i].value); break;
            case Extent::AtMost: values += "<=" + std::to_string(axes[i].value); break;
            case Extent::HeadOrOne: values += std::to_string(axes[i].value) + " or 1"; break;
        }
    }
    return names + "] = " + values + "]";
}

}  // namespace

std::string format_shape(const std::int64_t* shape, std::int64_t ndim) {
    std::string s = "[";
    for (std::int64_t i = 0; i < ndim; ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

Failure check_tensor(const ttc_tensor& t, const char* name, const std::vector<Axis>& axes, Role role, bool optional,
                     std::size_t element_size, CheckedTensor* out) {
    const std::string arg = std::string("argument '") + name + "'";
    *out = CheckedTensor{};
    if (t.ndim == 0) {
        if (optional) return {};
        return fail(TTC_STATUS_NULL_POINTER, arg + " is required but absent (ndim = 0); expected shape " +
                                                 expected_text(axes));
    }
    const auto rank = static_cast<std::int64_t>(axes.size());
    if (t.ndim < 0 || t.ndim > TTC_MAX_DIMS || t.ndim != rank)
        return fail(TTC_STATUS_SHAPE_MISMATCH, arg + " has rank " + std::to_string(t.ndim) + "; expected rank " +
                                                   std::to_string(rank) + ", shape " + expected_text(axes));
    for (std::int64_t i = 0; i < rank; ++i) {
        const Axis& ax = axes[i];
        const std::int64_t s = t.shape[i];
        bool ok = false;
        switch (ax.extent) {
            case Extent::Exact: ok = s == ax.value; break;
            case Extent::AtMost: ok = s >= 0 && s <= ax.value; break;
            case Extent::HeadOrOne: ok = s == ax.value || s == 1; break;
        }
        if (!ok)
            return fail(TTC_STATUS_SHAPE_MISMATCH, arg + " has shape " + format_shape(t.shape, rank) +
                                                       "; expected " + expected_text(axes) + " (axis " +
                                                       std::to_string(i) + ", " + ax.name + ")");
    }
    std::int64_t numel = 1, max_offset = 0;
    for (std::int64_t i = 0; i < rank; ++i) {
        if (mul_overflows(numel, t.shape[i], &numel))
            return fail(TTC_STATUS_SIZE_OVERFLOW, arg + ": the element count of shape " + format_shape(t.shape, rank) +
                                                      " overflows int64");
    }
    std::int64_t dense_stride = 1;
    for (std::int64_t i = rank - 1; i >= 0; --i) {
        const std::int64_t s = t.shape[i], st = t.strides[i];
        if (st < 0)
            return fail(TTC_STATUS_BAD_STRIDE, arg + " has negative stride " + std::to_string(st) + " on axis " +
                                                   std::to_string(i));
        if (role == Role::Output && numel > 0 && s > 1 && st != dense_stride)
            return fail(TTC_STATUS_BAD_STRIDE, arg + " must be dense: stride of axis " + std::to_string(i) + " is " +
                                                   std::to_string(st) + ", expected " + std::to_string(dense_stride));
        if (role == Role::Input && numel > 0 && s > 1 && st == 0 && i != 1)
            return fail(TTC_STATUS_BAD_STRIDE, arg + " has stride 0 on axis " + std::to_string(i) + " (" +
                                                   axes[i].name + "); stride 0 is allowed only on the head axis");
        if (numel > 0) {
            std::int64_t term = 0;
            if (mul_overflows(s - 1, st, &term) || add_overflows(max_offset, term, &max_offset))
                return fail(TTC_STATUS_SIZE_OVERFLOW, arg + ": the offsets addressed by shape " +
                                                          format_shape(t.shape, rank) + " and its strides overflow int64");
        }
        if (s > 0 && mul_overflows(dense_stride, s, &dense_stride)) dense_stride = INT64_MAX;
    }
    std::int64_t span = numel > 0 ? max_offset + 1 : 0, bytes = 0;
    if (span > 0 && mul_overflows(span, static_cast<std::int64_t>(element_size), &bytes))
        return fail(TTC_STATUS_SIZE_OVERFLOW, arg + ": its byte extent overflows int64");
    if (span > 0 && t.data == nullptr) return fail(TTC_STATUS_NULL_POINTER, arg + " has a null data pointer");
    if (t.capacity < span)
        return fail(TTC_STATUS_CAPACITY_TOO_SMALL, arg + " has capacity " + std::to_string(t.capacity) +
                                                       " elements, but its shape and strides address " +
                                                       std::to_string(span));
    out->present = true;
    out->span = span;
    return {};
}

Failure check_no_overlap(const std::vector<Region>& regions) {
    for (std::size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].role != Role::Output || regions[i].bytes == 0) continue;
        const auto lo = reinterpret_cast<std::uintptr_t>(regions[i].data);
        const auto hi = lo + static_cast<std::uintptr_t>(regions[i].bytes);
        for (std::size_t j = 0; j < regions.size(); ++j) {
            if (j == i || regions[j].bytes == 0) continue;
            const auto lo2 = reinterpret_cast<std::uintptr_t>(regions[j].data);
            const auto hi2 = lo2 + static_cast<std::uintptr_t>(regions[j].bytes);
            if (lo < hi2 && lo2 < hi)
                return fail(TTC_STATUS_INVALID_ARGUMENT, std::string("output '") + regions[i].name + "' overlaps " +
                                                             (regions[j].role == Role::Output ? "output '" : "input '") +
                                                             regions[j].name + "'");
        }
    }
    return {};
}

}  // namespace ttc::cpu
