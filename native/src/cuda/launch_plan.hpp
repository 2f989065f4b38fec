// How a batch is cut into launches (DESIGN.md §1, CUDA backend). A team of threads (core/team.hpp) owns one unit: a
// problem, or a token with its heads in order when gradients are summed over heads (deterministic sums, as on the
// CPU). The team is one thread, a warp or a whole block (team_size_for). It runs the per-problem solvers of
// native/src/core over a private slice of the workspace in global memory:
//   [gathered parameters][primal + adjoint trajectory (backward)][gradient sums (discounted backward)][solver scratch]
// A batch whose workspace does not fit runs in chunks of units, one launch per chunk, reusing the same workspace.
#pragma once

#include "../core/lqr_dispatch.hpp"
#include "../core/problem_setup.hpp"

namespace ttc::cuda {

using namespace ttc::core;

enum class Form { Explicit, Discounted };
enum class Work { Forward, Backward };

constexpr Form form_of(const ttc_explicit_problem&) { return Form::Explicit; }
constexpr Form form_of(const ttc_discounted_problem&) { return Form::Discounted; }

struct UnitLayout {
    idx params = 0, trajectory = 0, sums = 0, solver = 0;

    TTC_HD idx stride() const { return params + trajectory + sums + solver; }
};

// Rounds element counts up to 4 so that every region of a unit stays 16-byte aligned.
TTC_HD idx round_up_4(idx x) { return (x + 3) / 4 * 4; }

template <class R>
TTC_HD UnitLayout unit_layout(Form form, Work work, const Dims& d, const SolverChoice& choice, bool trajectory) {
    const bool backward = work == Work::Backward;
    const LqrShape shape{d.n, d.m, d.T, backward ? 2 : 1, backward || trajectory, choice.full_storage};
    UnitLayout u;
    u.params = round_up_4(form == Form::Discounted ? discounted_param_elements(d.n, d.m) : d.n);
    u.trajectory = backward ? round_up_4(trajectory_pair_elements(d.n, d.m, d.T)) : 0;
    u.sums = backward && form == Form::Discounted ? round_up_4(discounted_grad_elements(d.n, d.m)) : 0;
    u.solver = round_up_4(lqr_workspace_elements_any<R>(choice, shape));
    return u;
}

constexpr idx kMaxTeamSize = 256;  // the solve kernels' __launch_bounds__

// Threads per unit. The solvers split their work by rows of n (team.hpp), so: one thread below n = 8, where a warp
// would mostly idle; a warp up to n = 32; beyond, a block with a thread per row (n rounded up to whole warps, at most
// 256). Sizes are 1, 32 or a whole block, so that a team's sync is nothing, __syncwarp or __syncthreads.
TTC_HD idx team_size_for(idx n) {
    if (n < 8) return 1;
    if (n <= 32) return 32;
    const idx rows = (n + 31) / 32 * 32;
    return rows < kMaxTeamSize ? rows : kMaxTeamSize;
}

TTC_HD bool is_team_size(idx size) {
    return size == 1 || (size % 32 == 0 && size >= 32 && size <= kMaxTeamSize);
}

// Reads a team size written in decimal (TTC_CUDA_TEAM_SIZE); false unless it is a whole valid size.
inline bool parse_team_size(const char* text, idx* size) {
    idx value = 0;
    if (text == nullptr || *text == '\0') return false;
    for (const char* c = text; *c != '\0'; ++c) {
        if (*c < '0' || *c > '9' || value > kMaxTeamSize) return false;
        value = value * 10 + (*c - '0');
    }
    if (!is_team_size(value)) return false;
    *size = value;
    return true;
}

struct LaunchPlan {
    Dims d;
    SolverChoice choice;
    UnitLayout layout;
    bool by_token = false;  // one unit = one token and its H heads
    idx team_size = 1;      // threads per unit: 1, 32, or the whole block
    idx first_unit = 0, unit_count = 0;
};

// What one call asks for, once its descriptors passed (request.hpp).
struct BatchRequest {
    Form form = Form::Explicit;
    Work work = Work::Forward;
    Dims d;
    SolverChoice choice;
    bool trajectory = false;
    bool by_token = false;
    const ttc_upstream* upstream = nullptr;  // checked for finite values when given
};

TTC_HD idx units_of(const BatchRequest& q) { return q.by_token ? q.d.N : q.d.problems(); }

// The plan of a request, before it is cut into chunks.
template <class R>
TTC_HD LaunchPlan plan_for(const BatchRequest& q) {
    LaunchPlan plan;
    plan.d = q.d;
    plan.choice = q.choice;
    plan.layout = unit_layout<R>(q.form, q.work, q.d, q.choice, q.trajectory);
    plan.by_token = q.by_token;
    plan.team_size = team_size_for(q.d.n);
    return plan;
}

// Calls launch(plan) for each chunk of at most `chunk` units, in order, until one returns non-zero (returned).
template <class Launch>
int for_each_chunk(LaunchPlan plan, idx units, idx chunk, const Launch& launch) {
    for (idx first = 0; first < units; first += chunk) {
        plan.first_unit = first;
        plan.unit_count = units - first < chunk ? units - first : chunk;
        const int e = launch(plan);
        if (e != 0) return e;
    }
    return 0;
}

}  // namespace ttc::cuda
