// The discounted-form kernels in f64 (one translation unit each, so that the build compiles them in parallel).
#include "solve_kernels.cuh"

namespace ttc::cuda {

template int launch_value_checks<double, ttc_discounted_problem>(const ttc_discounted_problem&, const ttc_upstream*, const Dims&, StatusWords, void*);
template int launch_forward<double, ttc_discounted_problem>(const ttc_discounted_problem&, const ttc_solution&, const LaunchPlan&, double*, StatusWords, void*);
template int launch_backward<double, ttc_discounted_problem, ttc_discounted_grads>(const ttc_discounted_problem&, const ttc_upstream&, const ttc_discounted_grads&, const LaunchPlan&, double*,
                                          StatusWords, void*);

}  // namespace ttc::cuda
