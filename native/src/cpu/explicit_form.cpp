// ABI entry points for the explicit form: forward and backward, f32 and f64 (explicit_solve.hpp), in the solvers
// compiled for this CPU's instruction set (isa_choice.hpp).
#include "api_support.hpp"
#include "isa_choice.hpp"

using ttc::cpu::guarded;
using ttc::cpu::isa_solvers;

extern "C" TTC_API ttc_status ttc_explicit_forward_f64(const ttc_explicit_problem* problem,
                                                       const ttc_options* options, const ttc_solution* solution) {
    return guarded([&] { return isa_solvers().explicit_forward_f64(problem, options, solution); });
}

extern "C" TTC_API ttc_status ttc_explicit_forward_f32(const ttc_explicit_problem* problem,
                                                       const ttc_options* options, const ttc_solution* solution) {
    return guarded([&] { return isa_solvers().explicit_forward_f32(problem, options, solution); });
}

extern "C" TTC_API ttc_status ttc_explicit_backward_f64(const ttc_explicit_problem* problem,
                                                        const ttc_options* options, const ttc_upstream* upstream,
                                                        const ttc_explicit_grads* grads) {
    return guarded([&] { return isa_solvers().explicit_backward_f64(problem, options, upstream, grads); });
}

extern "C" TTC_API ttc_status ttc_explicit_backward_f32(const ttc_explicit_problem* problem,
                                                        const ttc_options* options, const ttc_upstream* upstream,
                                                        const ttc_explicit_grads* grads) {
    return guarded([&] { return isa_solvers().explicit_backward_f32(problem, options, upstream, grads); });
}
