// The host emulation of libttc_cuda.so for ttc_cuda_emulation_check. It runs what the library runs, in the order
// batch_runner.hpp enqueues it: the entry points' host half (request.hpp), the value-check kernel's work for every
// problem, then each chunk of units over one reused workspace (unit_work.hpp, the kernels' code), and the published
// status word. Units run one after another, each by a team of `team_size` ranks: one thread (SoloTeam), or host
// threads with a barrier (thread_team.hpp) standing in for a warp or a block. The workspace is filled with NaN before
// each chunk, as freshly allocated device memory holds anything: a unit that reads scratch it did not write shows as
// a NaN.
// What it cannot show is the device itself: its memory model, atomics, launch limits and the CUDA runtime.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "../../src/cuda/request.hpp"
#include "../../src/cuda/unit_work.hpp"
#include "check_arrays.hpp"
#include "thread_team.hpp"

namespace ttc::check {

// The emulation is built for the baseline instruction set, which rounds each multiply-add twice (core/hd.hpp), as the
// CPU library's baseline solvers do: those are the ones whose results it matches bit for bit. Call before the first
// solve, which fixes the library's choice (TTC_CPU_ISA).
inline void use_cpu_baseline_solvers() {
#if defined(_WIN32)
    _putenv_s("TTC_CPU_ISA", "baseline");
#else
    setenv("TTC_CPU_ISA", "baseline", 1);
#endif
}

// The host's atomicMax: keeps the lowest failing batch index (status_word.hpp).
struct MaxRecord {
    unsigned long long* word;
    void operator()(ttc_status status, core::idx b) const { *word = std::max(*word, cuda::encode_status(status, b)); }
};

class EmulatedBackend {
public:
    using Memory = HostMemory;
    static constexpr bool kMatchesCpuBitwise = true;

    explicit EmulatedBackend(core::idx team_size = 1) : team_size_(team_size) {}
    core::idx team_size() const { return team_size_; }

    template <class R, class Problem>
    ttc_status forward(const Problem& p, const ttc_options* o, const ttc_solution& s) {
        cuda::BatchRequest q;
        const cpu::Failure f = cuda::prepare_forward<R>(&p, o, &s, &q);
        if (f.failed()) return refuse(f);
        using Form = typename cuda::FormOf<Problem>::type;
        return run<R>(q, p, [&](const auto& team, const cuda::LaunchPlan& plan, core::idx local, R* workspace,
                                const MaxRecord& record) {
            cuda::forward_unit<Form, R>(team, p, s, plan, local, workspace, record);
        });
    }

    template <class R, class Problem, class Grads>
    ttc_status backward(const Problem& p, const ttc_options* o, const ttc_upstream& up, const Grads& g) {
        cuda::BatchRequest q;
        const cpu::Failure f = cuda::prepare_backward<R>(&p, o, &up, &g, &q);
        if (f.failed()) return refuse(f);
        using Form = typename cuda::FormOf<Problem>::type;
        return run<R>(q, p, [&](const auto& team, const cuda::LaunchPlan& plan, core::idx local, R* workspace,
                                const MaxRecord& record) {
            cuda::backward_unit<Form, R>(team, p, up, g, plan, local, workspace, record);
        });
    }

    uint64_t status_word() const { return word_; }
    const char* last_error() const { return message_.c_str(); }

private:
    ttc_status refuse(const cpu::Failure& f) {
        message_ = f.message;
        return f.status;
    }

    // Units per chunk alternate between calls: 1 (every unit alone in an allocation of its exact size, so that
    // AddressSanitizer sees any overrun of a unit's slice) and 3 (chunks that reuse the workspace at an offset).
    template <class R, class Problem, class Unit>
    ttc_status run(const cuda::BatchRequest& q, const Problem& p, const Unit& unit) {
        unsigned long long values = 0, numeric = 0;
        const core::idx units = cuda::units_of(q);
        const core::idx chunk = chunk_units_;
        chunk_units_ = chunk_units_ == 1 ? 3 : 1;
        if (units > 0) {
            const ttc_upstream none{};
            for (core::idx b = 0; b < q.d.problems(); ++b)
                cuda::check_unit_values<R>(p, q.upstream ? *q.upstream : none, q.upstream != nullptr, q.d, b,
                                           MaxRecord{&values});
            const cuda::LaunchPlan plan = cuda::plan_for<R>(q);
            core::idx unit_bytes = 0;
            const cpu::Failure f = cuda::unit_bytes_of<R>(plan, units, &unit_bytes);
            if (f.failed()) return refuse(f);
            std::vector<R> workspace(static_cast<std::size_t>(std::min(chunk, units) * plan.layout.stride()));
            cuda::for_each_chunk(plan, units, chunk, [&](const cuda::LaunchPlan& part) {
                std::fill(workspace.begin(), workspace.end(), std::numeric_limits<R>::quiet_NaN());
                if (values == 0)
                    for (core::idx local = 0; local < part.unit_count; ++local) {
                        const MaxRecord record{&numeric};
                        if (team_size_ == 1) {
                            unit(core::SoloTeam{}, part, local, workspace.data(), record);
                        } else {
                            run_team(team_size_, [&](const ThreadTeam& team) {
                                unit(team, part, local, workspace.data(), record);
                            });
                        }
                    }
                return 0;
            });
        }
        word_ = cuda::published_word(values, numeric);
        message_.clear();
        return TTC_STATUS_OK;
    }

    uint64_t word_ = 0;
    std::string message_;
    core::idx chunk_units_ = 1;
    core::idx team_size_;
};

}  // namespace ttc::check
