// ABI entry points for the discounted form (DESIGN.md §2, E3): per-step values generated inside the solver from
// time-invariant parameters; gradients chained through E3.
#include "problem_solve.hpp"

namespace ttc::cpu {
namespace {

Failure read_discounted_dims(const ttc_discounted_problem& p, Dims* d) {
    if (p.a.ndim != 3)
        return fail(TTC_STATUS_SHAPE_MISMATCH, "argument 'a' has rank " + std::to_string(p.a.ndim) +
                                                   "; expected rank 3, shape [N, H, n]");
    if (p.rho.ndim != 3)
        return fail(TTC_STATUS_SHAPE_MISMATCH, "argument 'rho' has rank " + std::to_string(p.rho.ndim) +
                                                   "; expected rank 3, shape [N, H, m]");
    *d = Dims{p.a.shape[0], p.a.shape[1], p.T, p.a.shape[2], p.rho.shape[2]};
    return check_dims(*d, "problem.T", "a.shape[2]", "rho.shape[2]");
}

void check_discounted_inputs(DescriptorChecks& c, const ttc_discounted_problem& p) {
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

template <class R>
Failure check_discounted_values(const ttc_discounted_problem& p, const Dims& d, idx b) {
    const idx tok = b / d.H, head = b % d.H;
    const std::pair<const ttc_tensor*, const char*> fields[] = {
        {&p.a, "a"}, {&p.log_gamma_a, "log_gamma_a"}, {&p.B, "B"},     {&p.log_gamma_b, "log_gamma_b"},
        {&p.Q, "Q"}, {&p.log_gamma_q, "log_gamma_q"}, {&p.Qf, "Qf"},   {&p.rho, "rho"},
        {&p.h0, "h0"}};
    for (const auto& [t, name] : fields) {
        Failure f = check_finite<R>(*t, name, tok, head, d.H);
        if (f.failed()) return f;
    }
    Failure f = check_positive_rho<R>(p.rho, "rho", tok, head, d.H);
    if (f.failed()) return f;
    for (const auto& [t, name] : {std::pair{&p.log_gamma_a, "log_gamma_a"}, std::pair{&p.log_gamma_b, "log_gamma_b"},
                                  std::pair{&p.log_gamma_q, "log_gamma_q"}}) {
        f = scan_values<R>(*t, name, TTC_STATUS_INVALID_DISCOUNT, tok, head, d.H,
                           [](R v) { return v <= R(0) ? nullptr : "log gamma must be <= 0 (E3)"; });
        if (f.failed()) return f;
    }
    // (A_t)_ii = 1 + gamma_A^t a_i must not be 0 for any t = 1..T, computed as the solver computes it.
    const R log_gamma_a = *slice_of<const R>(p.log_gamma_a, tok, head).base;
    const Slice<const R> a = slice_of<const R>(p.a, tok, head);
    for (idx t = 1; t <= d.T; ++t) {
        const R g = core::exp_value(R(t) * log_gamma_a);
        for (idx i = 0; i < d.n; ++i) {
            const R ai = a.base[i * a.s0];
            if (R(1) + g * ai == R(0)) {
                const std::int64_t index[1] = {i};
                return fail(TTC_STATUS_ZERO_DIAGONAL,
                            element_text("a", tok, head, d.H, 1, index) + " gives (A_t)_ii = 1 + gamma_A^t a_i = 0 at step t = " +
                                std::to_string(t) + " (E3); A_t must have a non-zero diagonal",
                            b);
            }
        }
    }
    return {};
}

// Gathers problem b's parameters into dense buffers (Q and Q_f symmetrised) and returns its step source.
template <class R>
DiscountedSteps<R> gather_discounted(const ttc_discounted_problem& p, const Dims& d, idx b, std::vector<R>& buffer,
                                     const R** h0) {
    const idx n = d.n, m = d.m, tok = b / d.H, head = b % d.H;
    buffer.resize(n + n * m + m + n * n + n + n * n + m + n + (n > m ? n : m));
    R* at = buffer.data();
    auto take = [&](idx count) {
        R* r = at;
        at += count;
        return r;
    };
    R* a = take(n);
    R* B = take(n * m);
    R* lgb = take(m);
    R* Q = take(n * n);
    R* lgq = take(n);
    R* Qf = take(n * n);
    R* rho = take(m);
    R* h = take(n);
    gather_vector(slice_of<const R>(p.a, tok, head), n, a);
    gather_matrix(slice_of<const R>(p.B, tok, head), n, m, B);
    gather_vector(slice_of<const R>(p.log_gamma_b, tok, head), m, lgb);
    gather_matrix(slice_of<const R>(p.Q, tok, head), n, n, Q);
    core::symmetrise(n, Q, n);
    gather_vector(slice_of<const R>(p.log_gamma_q, tok, head), n, lgq);
    gather_matrix(slice_of<const R>(p.Qf, tok, head), n, n, Qf);
    core::symmetrise(n, Qf, n);
    gather_vector(slice_of<const R>(p.rho, tok, head), m, rho);
    gather_vector(slice_of<const R>(p.h0, tok, head), n, h);
    DiscountedSteps<R> s;
    s.n = n;
    s.m = m;
    s.T = d.T;
    s.log_gamma_a = *slice_of<const R>(p.log_gamma_a, tok, head).base;
    s.a = a;
    s.B = B;
    s.log_gamma_b = lgb;
    s.Q = Q;
    s.log_gamma_q = lgq;
    s.Qf = Qf;
    s.rho = rho;
    s.gamma_scratch = take(n > m ? n : m);
    *h0 = h;
    return s;
}

template <class R>
Failure discounted_forward(const ttc_discounted_problem* problem, const ttc_options* options,
                           const ttc_solution* solution) {
    if (problem == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'problem' is null");
    if (solution == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'solution' is null");
    SolverChoice choice;
    Failure f = read_options(options, &choice);
    if (f.failed()) return f;
    const ttc_discounted_problem& p = *problem;
    const ttc_solution& s = *solution;
    Dims d;
    f = read_discounted_dims(p, &d);
    if (f.failed()) return f;
    DescriptorChecks c(d, sizeof(R));
    check_discounted_inputs(c, p);
    check_solution_outputs(c, s);
    f = c.result();
    if (f.failed()) return f;
    f = run_units<R>(d.problems(), [&](idx b, ChunkScratch<R>&) { return check_discounted_values<R>(p, d, b); });
    if (f.failed()) return f;
    return run_units<R>(d.problems(), [&](idx b, ChunkScratch<R>& scratch) {
        const R* h0 = nullptr;
        const DiscountedSteps<R> steps = gather_discounted(p, d, b, scratch.params, &h0);
        return solve_forward(steps, d, b, LinearSeries<R>{}, h0, s, choice, scratch);
    });
}

// E8 chained through E3, e.g. dL/dlog gamma_A = sum_t t gamma_A^t sum_i (dL/da_t)_i a_i (DESIGN.md §4).
template <class R>
void write_discounted_grads(const ttc_discounted_grads& g, const DiscountedSteps<R>& s, const TrajectoryPair<R>& x,
                            idx tok, idx head, std::vector<R>& acc) {
    const idx n = x.n, m = x.m, T = x.T;
    using G = StepGradients<R>;
    acc.assign(n + 1 + n * m + m + n * n + n + n * n + m, R(0));
    R* ga = acc.data();
    R* glga = ga + n;
    R* gB = glga + 1;
    R* glgb = gB + n * m;
    R* gQ = glgb + m;
    R* glgq = gQ + n * n;
    R* gQf = glgq + n;
    R* grho = gQf + n * n;
    for (idx t = 1; t <= T; ++t) {
        const R tt = R(t);
        const R gamma_a = core::exp_value(tt * s.log_gamma_a);
        for (idx i = 0; i < n; ++i) {
            const R gat = G::a(x, t, i);
            ga[i] += gamma_a * gat;
            *glga += tt * gamma_a * gat * s.a[i];
        }
        for (idx j = 0; j < m; ++j) {
            const R gamma_b = core::exp_value(tt * s.log_gamma_b[j]);
            for (idx i = 0; i < n; ++i) {
                const R gbt = G::B(x, t, i, j);
                gB[i * m + j] += gamma_b * gbt;
                glgb[j] += tt * gamma_b * gbt * s.B[i * m + j];
            }
            grho[j] += G::rho(x, t, j);
        }
        if (t == T) {
            for (idx i = 0; i < n; ++i)
                for (idx j = 0; j < n; ++j) gQf[i * n + j] += G::Q(x, t, i, j);
        } else {
            for (idx i = 0; i < n; ++i) {
                const R gi = core::exp_value(tt * s.log_gamma_q[i]);
                for (idx j = 0; j < n; ++j) {
                    const R w = gi * core::exp_value(tt * s.log_gamma_q[j]);
                    const R gqt = G::Q(x, t, i, j);
                    gQ[i * n + j] += w * gqt;
                    glgq[i] += R(2) * tt * gqt * w * s.Q[i * n + j];
                }
            }
        }
    }
    const std::pair<const ttc_tensor*, std::pair<const R*, idx>> outputs[] = {
        {&g.a, {ga, n}},      {&g.log_gamma_a, {glga, 1}},     {&g.B, {gB, n * m}},   {&g.log_gamma_b, {glgb, m}},
        {&g.Q, {gQ, n * n}},  {&g.log_gamma_q, {glgq, n}},     {&g.Qf, {gQf, n * n}}, {&g.rho, {grho, m}},
        {&g.h0, {x.dlambda, n}}};  // dL/dh_0 = dlambda_0 (E8)
    for (const auto& [tensor, values] : outputs)
        if (auto target = grad_target<R>(*tensor, tok, head))
            for (idx i = 0; i < values.second; ++i) target.put(i, values.first[i]);
}

template <class R>
Failure discounted_backward(const ttc_discounted_problem* problem, const ttc_options* options,
                            const ttc_upstream* upstream, const ttc_discounted_grads* grads) {
    if (problem == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'problem' is null");
    if (upstream == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'upstream' is null");
    if (grads == nullptr) return fail(TTC_STATUS_NULL_POINTER, "argument 'grads' is null");
    SolverChoice choice;
    Failure f = read_options(options, &choice);
    if (f.failed()) return f;
    const ttc_discounted_problem& p = *problem;
    const ttc_upstream& up = *upstream;
    const ttc_discounted_grads& g = *grads;
    Dims d;
    f = read_discounted_dims(p, &d);
    if (f.failed()) return f;
    DescriptorChecks c(d, sizeof(R));
    check_discounted_inputs(c, p);
    check_upstream(c, up);
    c.output(g.a, "grad a", {c.N(), c.H_or_1(), c.n()});
    c.output(g.log_gamma_a, "grad log_gamma_a", {c.N(), c.H_or_1()});
    c.output(g.B, "grad B", {c.N(), c.H_or_1(), c.n(), c.m()});
    c.output(g.log_gamma_b, "grad log_gamma_b", {c.N(), c.H_or_1(), c.m()});
    c.output(g.Q, "grad Q", {c.N(), c.H_or_1(), c.n(), c.n()});
    c.output(g.log_gamma_q, "grad log_gamma_q", {c.N(), c.H_or_1(), c.n()});
    c.output(g.Qf, "grad Qf", {c.N(), c.H_or_1(), c.n(), c.n()});
    c.output(g.rho, "grad rho", {c.N(), c.H_or_1(), c.m()});
    c.output(g.h0, "grad h0", {c.N(), c.H_or_1(), c.n()});
    f = c.result();
    if (f.failed()) return f;
    f = run_units<R>(d.problems(), [&](idx b, ChunkScratch<R>&) {
        Failure v = check_discounted_values<R>(p, d, b);
        return v.failed() ? v : check_upstream_values<R>(up, d, b);
    });
    if (f.failed()) return f;
    auto solve_one = [&](idx b, ChunkScratch<R>& scratch) {
        const R* h0 = nullptr;
        const DiscountedSteps<R> steps = gather_discounted(p, d, b, scratch.params, &h0);
        TrajectoryPair<R> x;
        Failure r = solve_primal_and_adjoint(steps, d, b, LinearSeries<R>{}, h0, up, choice, scratch, &x);
        if (r.failed()) return r;
        write_discounted_grads(g, steps, x, b / d.H, b % d.H, scratch.accumulators);
        return Failure{};
    };
    const bool by_token = sums_over_heads({&g.a, &g.log_gamma_a, &g.B, &g.log_gamma_b, &g.Q, &g.log_gamma_q, &g.Qf,
                                           &g.rho, &g.h0},
                                          d.H);
    return run_problems<R>(d, by_token, solve_one);
}

}  // namespace
}  // namespace ttc::cpu

using namespace ttc::cpu;

extern "C" TTC_API ttc_status ttc_discounted_forward_f64(const ttc_discounted_problem* problem,
                                                         const ttc_options* options, const ttc_solution* solution) {
    return guarded([&] { return discounted_forward<double>(problem, options, solution); });
}

extern "C" TTC_API ttc_status ttc_discounted_forward_f32(const ttc_discounted_problem* problem,
                                                         const ttc_options* options, const ttc_solution* solution) {
    return guarded([&] { return discounted_forward<float>(problem, options, solution); });
}

extern "C" TTC_API ttc_status ttc_discounted_backward_f64(const ttc_discounted_problem* problem,
                                                          const ttc_options* options, const ttc_upstream* upstream,
                                                          const ttc_discounted_grads* grads) {
    return guarded([&] { return discounted_backward<double>(problem, options, upstream, grads); });
}

extern "C" TTC_API ttc_status ttc_discounted_backward_f32(const ttc_discounted_problem* problem,
                                                          const ttc_options* options, const ttc_upstream* upstream,
                                                          const ttc_discounted_grads* grads) {
    return guarded([&] { return discounted_backward<float>(problem, options, upstream, grads); });
}
