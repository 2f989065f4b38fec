// The explicit-form kernels in f32 (one translation unit each, so that the build compiles them in parallel).
#include "solve_kernels.cuh"

namespace ttc::cuda {

template int launch_value_checks<float, ttc_explicit_problem>(const ttc_explicit_problem&, const ttc_upstream*, const Dims&, StatusWords, void*);
template int launch_forward<float, ttc_explicit_problem>(const ttc_explicit_problem&, const ttc_solution&, const LaunchPlan&, float*, StatusWords, void*);
template int launch_backward<float, ttc_explicit_problem, ttc_explicit_grads>(const ttc_explicit_problem&, const ttc_upstream&, const ttc_explicit_grads&, const LaunchPlan&, float*,
                                          StatusWords, void*);

}  // namespace ttc::cuda
