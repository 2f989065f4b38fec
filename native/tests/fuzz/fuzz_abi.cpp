// ttc_fuzz_abi: libFuzzer over every solve entry point of the CPU ABI (ttc.h: explicit and discounted, forward and
// backward, f32 and f64) and, on the same request, the CUDA backend's host half and its kernels' code (the
// host emulation of ttc_cuda_emulation_check). DESIGN.md §8. On every input:
//   - no crash, no ASan/UBSan report, a status of ttc.h, never TTC_STATUS_INTERNAL, a message with every failure;
//   - inputs are never written; a validation failure (statuses 1-10) writes no output;
//   - a numeric failure (NOT_CONVEX, ILL_CONDITIONED) names a batch index of the call;
//   - the CUDA path reports the same status and batch index (on its status word for value and numeric failures), and
//     when both succeed every output is bitwise the CPU's (its baseline solvers, which LLVMFuzzerInitialize selects).
#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include "../cuda/emulated_backend.hpp"
#include "fuzz_request.hpp"

namespace ttc::fuzz {
namespace {

[[noreturn]] void violated(const char* what, int cpu, int cuda) {
    std::fprintf(stderr, "ttc_fuzz_abi: %s (CPU status %d, CUDA status %d; last CPU error: %s)\n", what, cpu, cuda,
                 ttc_last_error());
    __builtin_trap();
}

template <class R>
struct Call {
    Form form = Form::Explicit;
    Work work = Work::Forward;
    Dims d{};
    std::int64_t discounted_T = 0;
    ttc_options options_storage{};
    ttc_options* options = nullptr;
    std::vector<FuzzTensor<R>> inputs;   // the problem's fields, then the upstream's (backward)
    std::vector<FuzzTensor<R>> outputs;  // the solution's fields (forward) or the grads' (backward)
    int null_struct = 0;                 // 1: problem, 2: solution or upstream, 3: grads
    std::vector<std::uint64_t> saved;    // options->saved, when given
};

// ttc_options.saved of the size ttc_saved_size asks, holding fuzzer words: the CPU must never trust them (they carry no
// seal of these inputs) and the CUDA entry points ignore the buffer, so both still agree. Undersized and misaligned
// buffers are the unit tests' (test_saved_states.cpp).
template <class R>
void give_saved_buffer(FuzzedDataProvider& in, Call<R>& c) {
    if (c.options == nullptr || !in.ConsumeBool()) return;
    std::int64_t bytes = 0, problems = 0;
    if (__builtin_mul_overflow(c.d.N, c.d.H, &problems) ||
        ttc_saved_size(sizeof(R) == 8 ? TTC_DTYPE_F64 : TTC_DTYPE_F32, problems, c.d.n, c.d.m, c.d.T, c.options,
                       &bytes) != TTC_STATUS_OK ||
        bytes > (std::int64_t{64} << 20))
        return;
    c.saved.assign(static_cast<std::size_t>(bytes / 8 + 1), 0);
    for (std::uint64_t& w : c.saved) w = in.ConsumeIntegral<std::uint64_t>();
    c.options->saved = c.saved.data();
    c.options->saved_bytes = bytes;
}

// ttc_saved_size on fuzzer arguments: a status of ttc.h, and *bytes written only on success.
void query_saved_size(FuzzedDataProvider& in) {
    ttc_options o{in.ConsumeIntegralInRange<std::int32_t>(-1, 2), in.ConsumeIntegralInRange<std::int32_t>(-1, 2),
                  nullptr, 0};
    std::int64_t bytes = -7;
    const std::int32_t dtype = in.ConsumeIntegralInRange<std::int32_t>(-1, 2);
    const std::int64_t problems = in.ConsumeIntegral<std::int64_t>(), n = in.ConsumeIntegral<std::int64_t>(),
                       m = in.ConsumeIntegral<std::int64_t>(), T = in.ConsumeIntegral<std::int64_t>();
    const ttc_status s = ttc_saved_size(dtype, problems, n, m, T, in.ConsumeBool() ? &o : nullptr, &bytes);
    if (s < TTC_STATUS_OK || s > TTC_STATUS_OUT_OF_MEMORY) violated("ttc_saved_size: status outside ttc.h", s, -1);
    if ((s == TTC_STATUS_OK) != (bytes != -7) || (s == TTC_STATUS_OK && bytes < 0))
        violated("ttc_saved_size: *bytes written on failure, or negative", s, -1);
}

template <class R>
Call<R> decode(FuzzedDataProvider& in) {
    RequestDecoder<R> dec(in);
    Call<R> c;
    c.form = in.ConsumeBool() ? Form::Discounted : Form::Explicit;
    c.work = in.ConsumeBool() ? Work::Backward : Work::Forward;
    c.d = dec.dims();
    c.options = dec.options(&c.options_storage);
    give_saved_buffer(in, c);
    const int nulls = in.ConsumeIntegralInRange<int>(0, 15);
    c.null_struct = nulls <= 3 && !(nulls == 3 && c.work == Work::Forward) ? nulls : 0;
    const auto [N, H, T, n, m] = c.d;
    const std::int64_t T1 = T < std::numeric_limits<std::int64_t>::max() ? T + 1 : T;
    const bool summed = in.ConsumeBool();
    const std::int64_t G = summed ? 1 : H;
    std::vector<std::vector<std::int64_t>> intended;  // each input's shape before the decoder changed it
    const auto input = [&](std::vector<std::int64_t> shape, bool optional = false) {
        intended.push_back(shape);
        c.inputs.push_back(dec.tensor(std::move(shape), Role::Input, optional));
    };
    const auto output = [&](std::vector<std::int64_t> shape, bool optional = false) {
        c.outputs.push_back(dec.tensor(std::move(shape), Role::Output, optional));
    };
    if (c.form == Form::Explicit) {
        input({N, H, T, n});
        input({N, H, T, n, m});
        input({N, H, T, n, n});
        input({N, H, T, m});
        input({N, H, n});
        input({N, H, T, n}, true);
        input({N, H, T, m}, true);
    } else {
        c.discounted_T = T;
        input({N, H, n});
        input({N, H});
        input({N, H, n, m});
        input({N, H, m});
        input({N, H, n, n});
        input({N, H, n});
        input({N, H, n, n});
        input({N, H, m});
        input({N, H, n});
    }
    if (c.work == Work::Forward) {
        output({N, H, m});
        output({N, H, T, m}, true);
        output({N, H, T1, n}, true);
        output({N, H, T1, n}, true);
        output({N, H, n, n}, true);
        return c;
    }
    input({N, H, T, m}, true);
    input({N, H, T, n}, true);
    const std::size_t fields = c.form == Form::Explicit ? 7 : 9;
    for (std::size_t k = 0; k < fields; ++k) {
        std::vector<std::int64_t> shape = intended[k];
        if (shape.size() > 1) shape[1] = G;
        output(shape, true);
    }
    return c;
}

// A copy of the outputs in fresh buffers (the CUDA path writes its own), with the same descriptors otherwise.
template <class R>
std::vector<FuzzTensor<R>> clone(const std::vector<FuzzTensor<R>>& from) {
    std::vector<FuzzTensor<R>> to(from.size());
    for (std::size_t k = 0; k < from.size(); ++k) {
        to[k].elements = from[k].elements;
        to[k].data.reset(new R[static_cast<std::size_t>(from[k].elements > 0 ? from[k].elements : 1)]);
        if (from[k].elements > 0)
            std::memcpy(to[k].data.get(), from[k].data.get(), static_cast<std::size_t>(from[k].elements) * sizeof(R));
        to[k].descriptor = from[k].descriptor;
        if (from[k].descriptor.data != nullptr) to[k].descriptor.data = to[k].data.get();
    }
    return to;
}

template <class R>
const ttc_tensor& at(const std::vector<FuzzTensor<R>>& v, std::size_t k) {
    return v[k].descriptor;
}

// The structs of a call, over a given set of output buffers.
template <class R>
struct Structs {
    ttc_explicit_problem explicit_problem{};
    ttc_discounted_problem discounted_problem{};
    ttc_solution solution{};
    ttc_upstream upstream{};
    ttc_explicit_grads explicit_grads{};
    ttc_discounted_grads discounted_grads{};

    Structs(const Call<R>& c, const std::vector<FuzzTensor<R>>& out) {
        const auto& in = c.inputs;
        std::size_t k = 0;
        if (c.form == Form::Explicit) {
            explicit_problem = {at(in, 0), at(in, 1), at(in, 2), at(in, 3), at(in, 4), at(in, 5), at(in, 6)};
            k = 7;
        } else {
            discounted_problem = {c.discounted_T, at(in, 0), at(in, 1), at(in, 2), at(in, 3), at(in, 4),
                                  at(in, 5),      at(in, 6), at(in, 7), at(in, 8)};
            k = 9;
        }
        if (c.work == Work::Forward) {
            solution = {at(out, 0), at(out, 1), at(out, 2), at(out, 3), at(out, 4)};
            return;
        }
        upstream = {at(in, k), at(in, k + 1)};
        if (c.form == Form::Explicit)
            explicit_grads = {at(out, 0), at(out, 1), at(out, 2), at(out, 3), at(out, 4), at(out, 5), at(out, 6)};
        else
            discounted_grads = {at(out, 0), at(out, 1), at(out, 2), at(out, 3), at(out, 4),
                                at(out, 5), at(out, 6), at(out, 7), at(out, 8)};
    }
};

template <class T>
const T* unless(bool null, const T& value) {
    return null ? nullptr : &value;
}

template <class R>
ttc_status cpu_call(const Call<R>& c, const Structs<R>& s) {
    constexpr bool f64 = std::is_same_v<R, double>;
    const bool np = c.null_struct == 1, n2 = c.null_struct == 2, ng = c.null_struct == 3;
    if (c.form == Form::Explicit) {
        const auto* p = unless(np, s.explicit_problem);
        if (c.work == Work::Forward)
            return f64 ? ttc_explicit_forward_f64(p, c.options, unless(n2, s.solution))
                       : ttc_explicit_forward_f32(p, c.options, unless(n2, s.solution));
        return f64 ? ttc_explicit_backward_f64(p, c.options, unless(n2, s.upstream), unless(ng, s.explicit_grads))
                   : ttc_explicit_backward_f32(p, c.options, unless(n2, s.upstream), unless(ng, s.explicit_grads));
    }
    const auto* p = unless(np, s.discounted_problem);
    if (c.work == Work::Forward)
        return f64 ? ttc_discounted_forward_f64(p, c.options, unless(n2, s.solution))
                   : ttc_discounted_forward_f32(p, c.options, unless(n2, s.solution));
    return f64 ? ttc_discounted_backward_f64(p, c.options, unless(n2, s.upstream), unless(ng, s.discounted_grads))
               : ttc_discounted_backward_f32(p, c.options, unless(n2, s.upstream), unless(ng, s.discounted_grads));
}

// The CUDA path's result as one status and batch index: the call's own status, else its status word's.
struct CudaResult {
    ttc_status status = TTC_STATUS_OK;
    std::int64_t batch_index = -1;
};

template <class R, class Problem, class Grads>
CudaResult cuda_call(const Call<R>& c, const Problem& p, const ttc_solution& solution, const ttc_upstream& up,
                     const Grads& grads) {
    const bool np = c.null_struct == 1, n2 = c.null_struct == 2, ng = c.null_struct == 3;
    CudaResult r;
    if (c.null_struct != 0) {  // the entry points' host half returns at once; nothing is launched
        cuda::BatchRequest q;
        const cpu::Failure f = c.work == Work::Forward
                                   ? cuda::prepare_forward<R>(unless(np, p), c.options, unless(n2, solution), &q)
                                   : cuda::prepare_backward<R>(unless(np, p), c.options, unless(n2, up),
                                                               unless(ng, grads), &q);
        r.status = f.status;
        r.batch_index = f.batch_index;
        return r;
    }
    check::EmulatedBackend backend;
    r.status = c.work == Work::Forward ? backend.forward<R>(p, c.options, solution)
                                       : backend.backward<R>(p, c.options, up, grads);
    if (r.status == TTC_STATUS_OK) cuda::decode_status(backend.status_word(), &r.status, &r.batch_index);
    return r;
}

bool is_validation_failure(ttc_status s) { return s >= TTC_STATUS_NULL_POINTER && s <= TTC_STATUS_INVALID_DISCOUNT; }
bool is_numeric_failure(ttc_status s) { return s == TTC_STATUS_NOT_CONVEX || s == TTC_STATUS_ILL_CONDITIONED; }

template <class R>
bool all_equal(const std::vector<FuzzTensor<R>>& a, const std::vector<FuzzTensor<R>>& b) {
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!b[k].equals(a[k].snapshot())) return false;
    return true;
}

template <class R>
void dump(const Call<R>& c) {
    std::fprintf(stderr, "%s %s %s N=%lld H=%lld T=%lld n=%lld m=%lld options=%s null_struct=%d\n",
                 sizeof(R) == 8 ? "f64" : "f32", c.form == Form::Explicit ? "explicit" : "discounted",
                 c.work == Work::Forward ? "forward" : "backward", (long long)c.d.N, (long long)c.d.H,
                 (long long)c.d.T, (long long)c.d.n, (long long)c.d.m, c.options ? "given" : "null", c.null_struct);
    auto print = [](const char* role, std::size_t k, const FuzzTensor<R>& t) {
        const ttc_tensor& d = t.descriptor;
        std::fprintf(stderr, "  %s[%zu] data=%s ndim=%lld cap=%lld shape/stride:", role, k, d.data ? "set" : "null",
                     (long long)d.ndim, (long long)d.capacity);
        for (std::int64_t i = 0; i < d.ndim && i < TTC_MAX_DIMS; ++i)
            std::fprintf(stderr, " %lld/%lld", (long long)d.shape[i], (long long)d.strides[i]);
        std::fprintf(stderr, "\n");
    };
    for (std::size_t k = 0; k < c.inputs.size(); ++k) print("in", k, c.inputs[k]);
    for (std::size_t k = 0; k < c.outputs.size(); ++k) print("out", k, c.outputs[k]);
}

template <class R>
int run(FuzzedDataProvider& in) {
    Call<R> c = decode<R>(in);
    if (std::getenv("TTC_FUZZ_DUMP") != nullptr) dump(c);
    std::vector<std::vector<R>> inputs_before;
    for (const FuzzTensor<R>& t : c.inputs) inputs_before.push_back(t.snapshot());
    const std::vector<FuzzTensor<R>> outputs_before = clone(c.outputs);
    std::vector<FuzzTensor<R>> cuda_outputs = clone(c.outputs);

    const Structs<R> cpu_structs(c, c.outputs);
    const ttc_status cpu = cpu_call(c, cpu_structs);
    const std::int64_t cpu_batch = ttc_last_error_batch_index();
    const std::int64_t problems = c.d.N > 0 && c.d.H > 0 && c.d.N <= 1 << 20 && c.d.H <= 1 << 20 ? c.d.N * c.d.H : 0;
    if (cpu < TTC_STATUS_OK || cpu > TTC_STATUS_OUT_OF_MEMORY) violated("CPU status outside ttc.h or INTERNAL", cpu, -1);
    if (cpu != TTC_STATUS_OK && ttc_last_error()[0] == '\0') violated("CPU failure without a message", cpu, -1);
    if (is_validation_failure(cpu) && !all_equal(outputs_before, c.outputs))
        violated("CPU validation failure wrote an output", cpu, -1);
    if (is_numeric_failure(cpu) && !(cpu_batch >= 0 && cpu_batch < problems))
        violated("CPU numeric failure without a batch index of the call", cpu, -1);

    const Structs<R> cuda_structs(c, cuda_outputs);
    const CudaResult cuda =
        c.form == Form::Explicit
            ? cuda_call<R>(c, cuda_structs.explicit_problem, cuda_structs.solution, cuda_structs.upstream,
                           cuda_structs.explicit_grads)
            : cuda_call<R>(c, cuda_structs.discounted_problem, cuda_structs.solution, cuda_structs.upstream,
                           cuda_structs.discounted_grads);
    for (std::size_t k = 0; k < c.inputs.size(); ++k)
        if (!c.inputs[k].equals(inputs_before[k])) violated("an input was written", cpu, cuda.status);
    if (cuda.status != cpu) violated("the CUDA path and the CPU disagree on the status", cpu, cuda.status);
    if ((is_validation_failure(cpu) && cpu >= TTC_STATUS_NON_FINITE) || is_numeric_failure(cpu))
        if (cuda.batch_index != cpu_batch) violated("the CUDA path and the CPU name different batch indices", cpu, cuda.status);
    if (is_validation_failure(cpu) && !all_equal(outputs_before, cuda_outputs))
        violated("a CUDA validation failure wrote an output", cpu, cuda.status);
    if (cpu == TTC_STATUS_OK && !all_equal(c.outputs, cuda_outputs))
        violated("the CUDA path's outputs differ from the CPU's", cpu, cuda.status);
    if (std::getenv("TTC_FUZZ_DUMP") != nullptr) std::fprintf(stderr, "  -> %s\n", ttc_status_string(cpu));
    return 0;
}

}  // namespace
}  // namespace ttc::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ttc_set_num_threads(1);  // the lowest failing batch index, as the CUDA status word reports it
    ttc::check::use_cpu_baseline_solvers();  // the AVX2 solvers run under the sanitizers in ctest instead
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    if (in.ConsumeIntegralInRange<int>(0, 15) == 0) ttc::fuzz::query_saved_size(in);
    return in.ConsumeBool() ? ttc::fuzz::run<double>(in) : ttc::fuzz::run<float>(in);
}
