// One problem's part of a batched tensor: the axes after [N, H], read through element strides.
#pragma once

#include "team.hpp"
#include "ttc/ttc.h"

namespace ttc::core {
TTC_ISA_BEGIN

template <class R>
struct Slice {
    R* base = nullptr;  // null when the tensor is absent
    idx extent0 = 0;    // extent of the first trailing axis (T, or Tu/Th for upstream gradients)
    idx s0 = 0, s1 = 0, s2 = 0;  // strides of trailing axes 0, 1, 2

    TTC_HD explicit operator bool() const { return base != nullptr; }
};

// The slice of problem (token, head). A tensor whose head extent is 1 is read at head 0 (broadcast or summed grads).
// An empty tensor (a trailing extent 0, as T = 0 gives) addresses no element, so its strides were never checked
// against its capacity: its slice stays at its data pointer.
template <class R>
TTC_HD Slice<R> slice_of(const ttc_tensor& t, idx token, idx head) {
    Slice<R> s;
    if (t.ndim == 0) return s;
    bool empty = false;
    for (idx k = 2; k < t.ndim; ++k) empty = empty || t.shape[k] == 0;
    const idx h = t.shape[1] == 1 ? 0 : head;
    s.base = empty ? static_cast<R*>(t.data) : static_cast<R*>(t.data) + token * t.strides[0] + h * t.strides[1];
    s.extent0 = t.ndim > 2 ? t.shape[2] : 0;
    s.s0 = t.ndim > 2 ? t.strides[2] : 0;
    s.s1 = t.ndim > 3 ? t.strides[3] : 0;
    s.s2 = t.ndim > 4 ? t.strides[4] : 0;
    return s;
}

// Copies an [n] vector slice to dense.
template <class Team, class S, class R>
TTC_HD void gather_vector(const Team& team, const Slice<S>& s, idx n, R* out) {
    each(team, n, [&](idx i) { out[i] = s.base[i * s.s0]; });
    team.sync();
}

// Copies an [rows, cols] matrix slice to dense.
template <class Team, class S, class R>
TTC_HD void gather_matrix(const Team& team, const Slice<S>& s, idx rows, idx cols, R* out) {
    each(team, rows, [&](idx i) {
        for (idx j = 0; j < cols; ++j) out[i * cols + j] = s.base[i * s.s0 + j * s.s1];
    });
    team.sync();
}

TTC_ISA_END
}  // namespace ttc::core
