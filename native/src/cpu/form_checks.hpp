// Descriptor checks of each input form, shared by the CPU entry points and the CUDA ones: dimensions, and every
// tensor's rank, shape, strides and capacity. Nothing here reads a tensor's values.
#pragma once

#include "api_support.hpp"

namespace ttc::cpu {
TTC_ISA_BEGIN

// The rank of a tensor that the dimensions are read from; `shape` names its axes for the message.
inline Failure require_rank(const ttc_tensor& t, const char* name, int64_t rank, const char* shape) {
    if (t.ndim == rank) return {};
    return fail(TTC_STATUS_SHAPE_MISMATCH, std::string("argument '") + name + "' has rank " +
                                               std::to_string(t.ndim) + "; expected rank " + std::to_string(rank) +
                                               ", shape " + shape);
}

inline Failure read_explicit_dims(const ttc_explicit_problem& p, Dims* d) {
    Failure f = require_rank(p.a, "a", 4, "[N, H, T, n]");
    if (!f.failed()) f = require_rank(p.rho, "rho", 4, "[N, H, T, m]");
    if (f.failed()) return f;
    *d = Dims{p.a.shape[0], p.a.shape[1], p.a.shape[2], p.a.shape[3], p.rho.shape[3]};
    return check_dims(*d, "a.shape[2]", "a.shape[3]", "rho.shape[3]");
}

inline void check_explicit_inputs(DescriptorChecks& c, const ttc_explicit_problem& p) {
    c.input(p.a, "a", {c.N(), c.H(), c.T(), c.n()});
    c.input(p.B, "B", {c.N(), c.H(), c.T(), c.n(), c.m()});
    c.input(p.Q, "Q", {c.N(), c.H(), c.T(), c.n(), c.n()});
    c.input(p.rho, "rho", {c.N(), c.H(), c.T(), c.m()});
    c.input(p.h0, "h0", {c.N(), c.H(), c.n()});
    c.input(p.q, "q", {c.N(), c.H(), c.T(), c.n()}, true);
    c.input(p.r, "r", {c.N(), c.H(), c.T(), c.m()}, true);
}

inline void check_explicit_grads(DescriptorChecks& c, const ttc_explicit_grads& g) {
    c.output(g.a, "grad a", {c.N(), c.H_or_1(), c.T(), c.n()});
    c.output(g.B, "grad B", {c.N(), c.H_or_1(), c.T(), c.n(), c.m()});
    c.output(g.Q, "grad Q", {c.N(), c.H_or_1(), c.T(), c.n(), c.n()});
    c.output(g.rho, "grad rho", {c.N(), c.H_or_1(), c.T(), c.m()});
    c.output(g.h0, "grad h0", {c.N(), c.H_or_1(), c.n()});
    c.output(g.q, "grad q", {c.N(), c.H_or_1(), c.T(), c.n()});
    c.output(g.r, "grad r", {c.N(), c.H_or_1(), c.T(), c.m()});
}

inline Failure read_discounted_dims(const ttc_discounted_problem& p, Dims* d) {
    Failure f = require_rank(p.a, "a", 3, "[N, H, n]");
    if (!f.failed()) f = require_rank(p.rho, "rho", 3, "[N, H, m]");
    if (f.failed()) return f;
    *d = Dims{p.a.shape[0], p.a.shape[1], p.T, p.a.shape[2], p.rho.shape[2]};
    return check_dims(*d, "problem.T", "a.shape[2]", "rho.shape[2]");
}

inline void check_discounted_inputs(DescriptorChecks& c, const ttc_discounted_problem& p) {
    c.input(p.a, "a", {c.N(), c.H(), c.n()});
    c.input(p.log_gamma_a, "log_gamma_a", {c.N(), c.H()});
    c.input(p.B, "B", {c.N(), c.H(), c.n(), c.m()});
    c.input(p.log_gamma_b, "log_gamma_b", {c.N(), c.H(), c.m()});
    c.input(p.Q, "Q", {c.N(), c.H(), c.n(), c.n()});
    c.input(p.log_gamma_q, "log_gamma_q", {c.N(), c.H(), c.n()});
    c.input(p.Qf, "Qf", {c.N(), c.H(), c.n(), c.n()});
    c.input(p.rho, "rho", {c.N(), c.H(), c.m()});
    c.input(p.h0, "h0", {c.N(), c.H(), c.n()});
}

inline void check_discounted_grads(DescriptorChecks& c, const ttc_discounted_grads& g) {
    c.output(g.a, "grad a", {c.N(), c.H_or_1(), c.n()});
    c.output(g.log_gamma_a, "grad log_gamma_a", {c.N(), c.H_or_1()});
    c.output(g.B, "grad B", {c.N(), c.H_or_1(), c.n(), c.m()});
    c.output(g.log_gamma_b, "grad log_gamma_b", {c.N(), c.H_or_1(), c.m()});
    c.output(g.Q, "grad Q", {c.N(), c.H_or_1(), c.n(), c.n()});
    c.output(g.log_gamma_q, "grad log_gamma_q", {c.N(), c.H_or_1(), c.n()});
    c.output(g.Qf, "grad Qf", {c.N(), c.H_or_1(), c.n(), c.n()});
    c.output(g.rho, "grad rho", {c.N(), c.H_or_1(), c.m()});
    c.output(g.h0, "grad h0", {c.N(), c.H_or_1(), c.n()});
}

// The same checks by problem type, for code written once over both forms.
inline Failure read_dims(const ttc_explicit_problem& p, Dims* d) { return read_explicit_dims(p, d); }
inline Failure read_dims(const ttc_discounted_problem& p, Dims* d) { return read_discounted_dims(p, d); }
inline void check_inputs(DescriptorChecks& c, const ttc_explicit_problem& p) { check_explicit_inputs(c, p); }
inline void check_inputs(DescriptorChecks& c, const ttc_discounted_problem& p) { check_discounted_inputs(c, p); }
inline void check_grads(DescriptorChecks& c, const ttc_explicit_grads& g) { check_explicit_grads(c, g); }
inline void check_grads(DescriptorChecks& c, const ttc_discounted_grads& g) { check_discounted_grads(c, g); }

// Everything a forward call checks before it reads a value, in order: null structs, options, dimensions, then every
// descriptor. Shared by the CPU entry points and the CUDA ones (cuda/request.hpp).
template <class Problem>
Failure check_forward_call(const Problem* problem, const ttc_options* options, const ttc_solution* solution,
                           std::size_t element_size, SolverChoice* choice, Dims* d) {
    if (problem == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'problem' is null");
    if (solution == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'solution' is null");
    Failure f = read_options(options, choice);
    if (f.failed()) return f;
    f = read_dims(*problem, d);
    if (f.failed()) return f;
    DescriptorChecks c(*d, element_size);
    check_inputs(c, *problem);
    check_solution_outputs(c, *solution);
    return c.result();
}

// The same for a backward call.
template <class Problem, class Grads>
Failure check_backward_call(const Problem* problem, const ttc_options* options, const ttc_upstream* upstream,
                            const Grads* grads, std::size_t element_size, SolverChoice* choice, Dims* d) {
    if (problem == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'problem' is null");
    if (upstream == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'upstream' is null");
    if (grads == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'grads' is null");
    Failure f = read_options(options, choice);
    if (f.failed()) return f;
    f = read_dims(*problem, d);
    if (f.failed()) return f;
    DescriptorChecks c(*d, element_size);
    check_inputs(c, *problem);
    check_upstream(c, *upstream);
    check_grads(c, *grads);
    return c.result();
}

inline bool grads_sum_over_heads(const ttc_explicit_grads& g, idx H) {
    return sums_over_heads({&g.a, &g.B, &g.Q, &g.rho, &g.h0, &g.q, &g.r}, H);
}
inline bool grads_sum_over_heads(const ttc_discounted_grads& g, idx H) {
    return sums_over_heads({&g.a, &g.log_gamma_a, &g.B, &g.log_gamma_b, &g.Q, &g.log_gamma_q, &g.Qf, &g.rho, &g.h0},
                           H);
}

TTC_ISA_END
}  // namespace ttc::cpu
