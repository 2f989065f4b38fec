// ttc_options.saved (ttc.h): the sweep states a discounted-form forward leaves for the backward of the same problems.
// One region per problem, at a fixed offset: its states at the top of every rollout segment (SavedTops,
// core/lqr_problem.hpp), then a fingerprint of everything they depend on, then a mark. A region is trusted only when
// both match, so a buffer written for other inputs, other options or not at all is recomputed, never misread.
#pragma once

#include <cstring>

#include "checked_int.hpp"
#include "../core/symplectic_solver.hpp"
#include "lanes.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

using namespace ttc::core;

// The rollout segment length the backward uses (core/symplectic_solver.hpp): one step with full storage.
inline idx saved_segment_steps(idx T, bool full_storage) { return full_storage ? 1 : checkpoint_interval(T); }

// Bytes of one problem's region, or -1 when it does not fit in int64.
template <class R>
std::int64_t saved_region_bytes(idx n, idx T, bool full_storage) {
    const idx segments = saved_segments(T, saved_segment_steps(T, full_storage));
    std::int64_t elements = 0, bytes = 0;
    if (mul_overflows(segments, saved_top_elements(n), &elements) ||
        mul_overflows(elements, static_cast<std::int64_t>(sizeof(R)), &bytes) || add_overflows(bytes, 7, &bytes))
        return -1;
    bytes -= bytes % 8;
    return add_overflows(bytes, 16, &bytes) ? -1 : bytes;
}

// Bytes of the whole buffer for `problems` problems, or -1 when it does not fit in int64.
template <class R>
std::int64_t saved_buffer_bytes(idx problems, idx n, idx T, bool full_storage) {
    const std::int64_t region = saved_region_bytes<R>(n, T, full_storage);
    std::int64_t total = 0;
    return region < 0 || mul_overflows(problems, region, &total) ? -1 : total;
}

// A 64-bit hash of the values fed to it, eight bytes at a time (a multiply-xorshift mix per word), against accidental
// mismatches, not adversaries.
class Fingerprint {
public:
    template <class V>
    void add(const V* values, idx count) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(values);
        const std::size_t size = static_cast<std::size_t>(count) * sizeof(V);
        std::size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, bytes + i, 8);
            mix(word);
        }
        if (i < size) {
            std::uint64_t word = 0;
            std::memcpy(&word, bytes + i, size - i);
            mix(word);
        }
        mix(size);
    }
    template <class V>
    void add(V value) {
        add(&value, 1);
    }
    std::uint64_t value() const { return hash_; }

private:
    void mix(std::uint64_t word) {
        hash_ = (hash_ ^ word) * 0x9e3779b97f4a7c15ULL;
        hash_ ^= hash_ >> 29;
    }
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

#if TTC_ISA_AVX2
constexpr std::uint64_t kSavedIsa = 2;
#else
constexpr std::uint64_t kSavedIsa = 1;
#endif

// Everything a discounted problem's sweep states depend on: its parameters as gathered (E3; h_0 aside), the call's
// sizes and segment length, the element type and this instruction set's rounding (core/isa.hpp).
template <class R>
std::uint64_t discounted_fingerprint(const DiscountedSteps<R>& s, idx every) {
    const idx n = s.n, m = s.m;
    Fingerprint f;
    f.add(static_cast<std::uint64_t>(sizeof(R)));
    f.add(kSavedIsa);
    for (idx v : {n, m, s.T, every}) f.add(v);
    f.add(s.log_gamma_a);
    // gather_discounted's buffer from a to rho: a, B, log_gamma_b, Q, log_gamma_q, Qf, rho.
    f.add(s.a, n + n * m + m + n * n + n + n * n + m);
    return f.value();
}

// True when every value is +0, bit for bit.
template <class R>
bool all_positive_zero(const R* x, idx count) {
    static const R zero = R(0);
    for (idx i = 0; i < count; ++i)
        if (std::memcmp(&x[i], &zero, sizeof(R)) != 0) return false;
    return true;
}

// The adjoint's affine column on entry to step s depends on dL/dh_t for t >= s and dL/du_t for t > s (E5). It is +0 at
// every segment top (s >= top of the first segment) when those all are, which is what a restore assumes.
template <class R>
bool adjoint_vanishes_at_tops(const LinearSeries<R>& adjoint, idx T, idx n, idx m, idx every, R* row) {
    const idx first_top = every < T ? every : T;
    for (idx t = first_top; t <= T; ++t) {
        adjoint.load_q(SoloTeam{}, t, n, row);
        if (!all_positive_zero(row, n)) return false;
        if (t == first_top) continue;
        adjoint.load_r(SoloTeam{}, t, m, row);
        if (!all_positive_zero(row, m)) return false;
    }
    return true;
}

// The caller's buffer, as regions of problems.
template <class R>
class SavedStates {
public:
    SavedStates() = default;
    SavedStates(void* base, idx n, idx T, bool full_storage)
        : base_(static_cast<unsigned char*>(base)),
          every_(saved_segment_steps(T, full_storage)),
          states_(saved_segments(T, every_) * saved_top_elements(n)),
          region_(saved_region_bytes<R>(n, T, full_storage)) {}

    bool active() const { return base_ != nullptr; }
    idx every() const { return every_; }
    idx state_elements() const { return states_; }
    R* states(idx b) const { return reinterpret_cast<R*>(region(b)); }

    // Before a problem's states are rewritten, so that a region is never trusted half written.
    void forget(idx b) const { std::memset(region(b) + region_ - 16, 0, 16); }
    void seal(idx b, std::uint64_t fingerprint) const {
        unsigned char* tail = region(b) + region_ - 16;
        std::memcpy(tail, &fingerprint, 8);
        std::memcpy(tail + 8, &kSeal, 8);
    }
    bool holds(idx b, std::uint64_t fingerprint) const {
        const unsigned char* tail = region(b) + region_ - 16;
        return std::memcmp(tail, &fingerprint, 8) == 0 && std::memcmp(tail + 8, &kSeal, 8) == 0;
    }

    // Records problem b's states in a one-problem sweep, or (restore) hands them back to the backward.
    SavedTops<R> tops(idx b, bool restore) const { return SavedTops<R>{states(b), every_, restore}; }

private:
    static constexpr std::uint64_t kSeal = 0x3176657361436374ULL;  // "tcCasev1"
    unsigned char* region(idx b) const { return base_ + b * region_; }

    unsigned char* base_ = nullptr;
    idx every_ = 0, states_ = 0;
    std::int64_t region_ = 0;
};

// Checks ttc_options.saved against the call (nothing is read or written here) and opens it; inactive when null.
template <class R>
Failure open_saved_states(const ttc_options* options, const Dims& d, const SolverChoice& choice,
                          SavedStates<R>* saved) {
    *saved = SavedStates<R>{};
    if (options == nullptr || options->saved == nullptr) return {};
    const std::int64_t need = saved_buffer_bytes<R>(d.problems(), d.n, d.T, choice.full_storage);
    if (need < 0)
        return fail(TTC_STATUS_INVALID_ARGUMENT, "argument 'options.saved': the buffer size overflows int64");
    if (options->saved_bytes < need)
        return fail(TTC_STATUS_INVALID_ARGUMENT, "argument 'options.saved' holds " +
                                                     std::to_string(options->saved_bytes) + " bytes; ttc_saved_size "
                                                     "asks " + std::to_string(need) + " for this call");
    if (reinterpret_cast<std::uintptr_t>(options->saved) % 8 != 0)
        return fail(TTC_STATUS_INVALID_ARGUMENT, "argument 'options.saved' is not 8-byte aligned");
    *saved = SavedStates<R>(options->saved, d.n, d.T, choice.full_storage);
    return {};
}

TTC_ISA_END
}  // namespace ttc::cpu
