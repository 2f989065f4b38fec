// The work of the CUDA kernels, as host/device functions: the kernels (solve_kernels.cuh) call them on the device,
// and the host emulation of ttc_cuda_emulation_check calls them over units with teams of host threads, so that the
// CPU build checks exactly the code the GPU runs. A unit is solved by a team (core/team.hpp): one thread, a warp or
// a block. `record(status, batch_index)` reports a failure of a problem; only the team's leader calls it.
#pragma once

#include "../core/value_rules.hpp"
#include "forms.hpp"
#include "launch_plan.hpp"
#include "status_word.hpp"

namespace ttc::cuda {

// The value checks of problem b, and of its upstream gradients when has_upstream.
template <class R, class Problem, class Record>
TTC_HD void check_unit_values(const Problem& p, const ttc_upstream& up, bool has_upstream, const Dims& d, idx b,
                              const Record& record) {
    const idx token = b / d.H, head = b % d.H;
    ValueViolation v = check_values<R>(p, d, token, head);
    if (!v.failed() && has_upstream) v = check_upstream_values<R>(up, token, head);
    if (v.failed()) record(v.status, b);
}

// The forward of unit `local` of the plan's chunk (a unit is one problem here), over its slice of workspace.
template <class Form, class R, class Team, class Record>
TTC_HD void forward_unit(const Team& team, const typename Form::Problem& p, const ttc_solution& s,
                         const LaunchPlan& plan, idx local, R* workspace, const Record& record) {
    const Dims& d = plan.d;
    const idx b = plan.first_unit + local, n = d.n, m = d.m, T = d.T;
    R* params = workspace + local * plan.layout.stride();
    R* solver = params + plan.layout.params + plan.layout.trajectory + plan.layout.sums;
    const R* h0 = nullptr;
    const auto steps = Form::template steps<R>(team, p, d, b, params, &h0);
    LqrOutputs<R> out;
    const auto lqr = forward_problem(steps, d, b, Form::template primal<R>(p, d, b), h0, s, &out);
    const SolveFault f = solve_lqr_in(team, lqr, out, plan.choice, solver, plan.layout.solver);
    if (f.failed()) {
        if (is_leader(team)) record(f.status, b);
        return;
    }
    const bool finite = all_finite(out.u1[0], m) && all_finite(out.u[0], T * m) &&
                        all_finite(out.h[0], (T + 1) * n) && all_finite(out.lambda[0], (T + 1) * n) &&
                        all_finite(out.P0, n * n);
    if (!finite && is_leader(team)) record(TTC_STATUS_ILL_CONDITIONED, b);
}

// The backward (primal + adjoint solve, E8 gradients) of unit `local`: one problem, or one token's heads in order
// when the gradients are summed over heads (plan.by_token), so that the sums are the CPU's, in the CPU's order.
template <class Form, class R, class Team, class Record>
TTC_HD void backward_unit(const Team& team, const typename Form::Problem& p, const ttc_upstream& up,
                          const typename Form::Grads& g, const LaunchPlan& plan, idx local, R* workspace,
                          const Record& record) {
    const Dims& d = plan.d;
    const idx unit = plan.first_unit + local;
    const idx first = plan.by_token ? unit * d.H : unit, last = plan.by_token ? first + d.H : first + 1;
    R* params = workspace + local * plan.layout.stride();
    R* trajectory = params + plan.layout.params;
    R* sums = trajectory + plan.layout.trajectory;
    R* solver = sums + plan.layout.sums;
    for (idx b = first; b < last; ++b) {
        const R* h0 = nullptr;
        const auto steps = Form::template steps<R>(team, p, d, b, params, &h0);
        LqrOutputs<R> out;
        TrajectoryPair<R> x;
        const auto lqr = primal_and_adjoint(team, steps, d, b, Form::template primal<R>(p, d, b), h0, up,
                                            trajectory, &out, &x);
        const SolveFault f = solve_lqr_in(team, lqr, out, plan.choice, solver, plan.layout.solver);
        if (f.failed()) {
            if (is_leader(team)) record(f.status, b);
            return;
        }
        if (!all_finite(trajectory + d.n, trajectory_pair_elements(d.n, d.m, d.T) - d.n)) {
            if (is_leader(team)) record(TTC_STATUS_ILL_CONDITIONED, b);
            return;
        }
        Form::template write_grads<R>(team, g, steps, x, b / d.H, b % d.H, sums);
    }
}

// The word a call publishes: its value error if any, else its first numeric failure, else 0 (ttc_cuda.h).
TTC_HD unsigned long long published_word(unsigned long long values, unsigned long long numeric) {
    return values != 0 ? values : numeric;
}

}  // namespace ttc::cuda
