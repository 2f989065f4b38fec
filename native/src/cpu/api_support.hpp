// Shared pieces of the ABI entry points: options, batch dimensions, descriptor checks collected with their regions,
// dense output addressing, and the exception barrier.
#pragma once

#include <new>
#include <string>
#include <vector>

#include "../core/problem_setup.hpp"
#include "lqr_driver.hpp"
#include "tensor_check.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

inline Failure read_options(const ttc_options* options, SolverChoice* choice) {
    *choice = SolverChoice{};
    if (options == nullptr) return {};
    if (options->solver != TTC_SOLVER_SYMPLECTIC && options->solver != TTC_SOLVER_RICCATI)
        return fail(TTC_STATUS_INVALID_ARGUMENT,
                    "argument 'options.solver' = " + std::to_string(options->solver) + " is not a ttc_solver");
    if (options->storage != TTC_STORAGE_CHECKPOINTS && options->storage != TTC_STORAGE_FULL)
        return fail(TTC_STATUS_INVALID_ARGUMENT,
                    "argument 'options.storage' = " + std::to_string(options->storage) + " is not a ttc_storage");
    choice->riccati = options->solver == TTC_SOLVER_RICCATI;
    choice->full_storage = options->storage == TTC_STORAGE_FULL;
    return {};
}

// Checks the batch extents and n, m, T once they are read from their source tensors.
inline Failure check_dims(const Dims& d, const char* T_source, const char* n_source, const char* m_source) {
    if (d.N < 0 || d.H < 0)
        return fail(TTC_STATUS_INVALID_ARGUMENT, "batch extents N = " + std::to_string(d.N) + ", H = " +
                                                     std::to_string(d.H) + " must be >= 0");
    if (d.T < 0)
        return fail(TTC_STATUS_INVALID_ARGUMENT,
                    std::string("T = ") + std::to_string(d.T) + " (" + T_source + ") must be >= 0");
    if (d.T > TTC_MAX_HORIZON)
        return fail(TTC_STATUS_INVALID_ARGUMENT, std::string("T = ") + std::to_string(d.T) + " (" + T_source +
                                                     ") exceeds TTC_MAX_HORIZON = " + std::to_string(TTC_MAX_HORIZON));
    if (d.n <= 0)
        return fail(TTC_STATUS_INVALID_ARGUMENT,
                    std::string("n = ") + std::to_string(d.n) + " (" + n_source + ") must be >= 1");
    if (d.m <= 0)
        return fail(TTC_STATUS_INVALID_ARGUMENT,
                    std::string("m = ") + std::to_string(d.m) + " (" + m_source + ") must be >= 1");
    if (d.n > TTC_MAX_NM || d.m > TTC_MAX_NM)
        return fail(TTC_STATUS_INVALID_ARGUMENT, std::string(d.n > TTC_MAX_NM ? "n = " : "m = ") +
                                                     std::to_string(d.n > TTC_MAX_NM ? d.n : d.m) + " (" +
                                                     (d.n > TTC_MAX_NM ? n_source : m_source) +
                                                     ") exceeds TTC_MAX_NM = " + std::to_string(TTC_MAX_NM));
    return {};
}

// The work and dtype arguments of a size query (ttc_workspace_size, ttc_cuda_workspace_size), checked; *bytes gets
// size(R{}, work) with R the dtype's element type.
template <class Size>
Failure answer_size_query(int32_t dtype, int32_t work, std::int64_t* bytes, const Size& size) {
    if (work != TTC_WORK_FORWARD && work != TTC_WORK_FORWARD_TRAJECTORY && work != TTC_WORK_BACKWARD)
        return fail(TTC_STATUS_INVALID_ARGUMENT, "argument 'work' = " + std::to_string(work) + " is not a ttc_work");
    const auto w = static_cast<ttc_work>(work);
    if (dtype == TTC_DTYPE_F64)
        *bytes = size(double{}, w);
    else if (dtype == TTC_DTYPE_F32)
        *bytes = size(float{}, w);
    else
        return fail(TTC_STATUS_INVALID_ARGUMENT, "argument 'dtype' = " + std::to_string(dtype) + " is not a ttc_dtype");
    return {};
}

// Runs descriptor checks in order, stopping at the first failure, and remembers each tensor's memory region.
class DescriptorChecks {
public:
    DescriptorChecks(const Dims& d, std::size_t element_size) : d_(d), element_size_(element_size) {}

    Axis N() const { return {"N", d_.N}; }
    Axis H() const { return {"H", d_.H}; }
    Axis H_or_1() const { return {"H", d_.H, Extent::HeadOrOne}; }
    Axis T() const { return {"T", d_.T}; }
    Axis T_at_most() const { return {"T", d_.T, Extent::AtMost}; }
    Axis T1() const { return {"T+1", d_.T + 1}; }
    Axis n() const { return {"n", d_.n}; }
    Axis m() const { return {"m", d_.m}; }

    void input(const ttc_tensor& t, const char* name, std::vector<Axis> axes, bool optional = false) {
        add(t, name, std::move(axes), Role::Input, optional);
    }
    void output(const ttc_tensor& t, const char* name, std::vector<Axis> axes) {
        add(t, name, std::move(axes), Role::Output, true);
    }

    Failure result() {
        if (failure_.failed()) return std::move(failure_);
        return check_no_overlap(regions_);
    }

private:
    void add(const ttc_tensor& t, const char* name, std::vector<Axis> axes, Role role, bool optional) {
        if (failure_.failed()) return;
        CheckedTensor checked;
        failure_ = check_tensor(t, name, axes, role, optional, element_size_, &checked);
        if (!failure_.failed() && checked.present)
            regions_.push_back({name, t.data, checked.span * static_cast<std::int64_t>(element_size_), role});
    }

    Dims d_;
    std::size_t element_size_;
    Failure failure_;
    std::vector<Region> regions_;
};

inline void check_solution_outputs(DescriptorChecks& c, const ttc_solution& s) {
    c.output(s.u1, "u1", {c.N(), c.H(), c.m()});
    c.output(s.u, "u", {c.N(), c.H(), c.T(), c.m()});
    c.output(s.h, "h", {c.N(), c.H(), c.T1(), c.n()});
    c.output(s.lambda, "lambda", {c.N(), c.H(), c.T1(), c.n()});
    c.output(s.P0, "P0", {c.N(), c.H(), c.n(), c.n()});
}

inline void check_upstream(DescriptorChecks& c, const ttc_upstream& up) {
    c.input(up.grad_u, "grad_u", {c.N(), c.H(), c.T_at_most(), c.m()}, true);
    c.input(up.grad_h, "grad_h", {c.N(), c.H(), c.T_at_most(), c.n()}, true);
}

// Fails with ILL_CONDITIONED when a solved output holds NaN or Inf (never a silent NaN).
template <class R>
Failure require_finite(const R* x, idx count, const char* what, idx batch_index) {
    if (all_finite(x, count)) return {};
    return fail(TTC_STATUS_ILL_CONDITIONED, std::string("the solution's '") + what +
                                                "' is not finite: the problem is too ill-conditioned for this dtype",
                batch_index);
}

// Names the problem in a solver failure that does not name one yet.
inline Failure tag(Failure f, const Dims& d, idx b) {
    if (f.failed() && f.batch_index < 0) {
        f.message = "problem " + std::to_string(b) + " (token " + std::to_string(b / d.H) + ", head " +
                    std::to_string(b % d.H) + "): " + f.message;
        f.batch_index = b;
    }
    return f;
}

// True when some gradient output has head extent 1 while H > 1: the heads of a token must then be summed in order.
inline bool sums_over_heads(std::initializer_list<const ttc_tensor*> grads, idx H) {
    for (const ttc_tensor* g : grads)
        if (g->ndim != 0 && g->shape[1] == 1 && H > 1) return true;
    return false;
}

// Runs solve_one(b, scratch) for every problem. When gradients are summed over heads, one unit is a token and its
// heads run in order 0..H-1, so that the sums are bitwise deterministic.
template <class R, class SolveOne>
Failure run_problems(const Dims& d, bool by_token, const SolveOne& solve_one) {
    if (!by_token) return run_units<R>(d.problems(), solve_one);
    return run_units<R>(d.N, [&](idx tok, ChunkScratch<R>& scratch) {
        for (idx head = 0; head < d.H; ++head) {
            Failure r = solve_one(tok * d.H + head, scratch);
            if (r.failed()) return r;
        }
        return Failure{};
    });
}

// The exception barrier of every entry point: nothing throws across the ABI.
template <class F>
ttc_status guarded(F body) {
    try {
        return publish(body());
    } catch (const std::bad_alloc&) {
        return publish(fail(TTC_STATUS_OUT_OF_MEMORY, "out of memory"));
    } catch (const std::exception& e) {
        return publish(fail(TTC_STATUS_INTERNAL, std::string("internal error: ") + e.what()));
    } catch (...) {
        return publish(fail(TTC_STATUS_INTERNAL, "internal error: unknown exception"));
    }
}

TTC_ISA_END
}  // namespace ttc::cpu
