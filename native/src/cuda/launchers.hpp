// Host-side launchers of the CUDA kernels (solve_kernels.cu), callable from plain C++: each enqueues on `stream`
// (a cudaStream_t) and returns the cudaError_t of the launch as an int.
#pragma once

#include "launch_plan.hpp"
#include "status_word.hpp"

namespace ttc::cuda {

// Value checks of every problem (and of the upstream gradients when `up` is given) into words.values.
template <class R, class Problem>
int launch_value_checks(const Problem& p, const ttc_upstream* up, const Dims& d, StatusWords words, void* stream);

// The forward of the units in plan, into the solution's outputs; numeric failures into words.numeric.
template <class R, class Problem>
int launch_forward(const Problem& p, const ttc_solution& s, const LaunchPlan& plan, R* workspace, StatusWords words,
                   void* stream);

// The backward (primal + adjoint, E8) of the units in plan, into the gradient outputs.
template <class R, class Problem, class Grads>
int launch_backward(const Problem& p, const ttc_upstream& up, const Grads& g, const LaunchPlan& plan, R* workspace,
                    StatusWords words, void* stream);

// Writes the call's result to the caller's status word: the value error if any, else the numeric failure, else 0.
int launch_publish_status(StatusWords words, unsigned long long* user_word, void* stream);

}  // namespace ttc::cuda
