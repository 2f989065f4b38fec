// Bad input gets a documented status and a message naming the argument, never a crash; outputs stay untouched when
// validation fails (DESIGN.md §2, §8).
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "discounted_case.hpp"

namespace ttc::test {
namespace {

constexpr double kSentinel = 12345.0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// A valid explicit batch (N = 2, H = 2, T = 3, n = 3, m = 2) with every output, sentinel-filled.
class ExplicitBadInput : public ::testing::Test {
protected:
    void SetUp() override {
        Rng rng(7);
        Draw d;
        d.N = 2, d.H = 2, d.T = 3, d.n = 3, d.m = 2;
        c = random_explicit(rng, d);
        x = std::make_unique<Typed<double>>(c);
        p = describe(c, *x);
        u1.assign(4 * 2, kSentinel), u.assign(4 * 3 * 2, kSentinel), h.assign(4 * 4 * 3, kSentinel);
        lam.assign(4 * 4 * 3, kSentinel), P0.assign(4 * 9, kSentinel);
        s.u1 = tensor(u1.data(), {2, 2, 2});
        s.u = tensor(u.data(), {2, 2, 3, 2});
        s.h = tensor(h.data(), {2, 2, 4, 3});
        s.lambda = tensor(lam.data(), {2, 2, 4, 3});
        s.P0 = tensor(P0.data(), {2, 2, 3, 3});
    }

    bool outputs_untouched() const {
        for (const Vec* v : {&u1, &u, &h, &lam, &P0})
            for (double y : *v)
                if (y != kSentinel) return false;
        return true;
    }

    // Calls the f64 forward and checks the status, that the message names `needle`, and that nothing was written.
    void expect_rejected(ttc_status expected, const std::string& needle, const ttc_explicit_problem* problem,
                         const ttc_solution* solution, const ttc_options* options = nullptr) {
        const ttc_status st = ttc_explicit_forward_f64(problem, options, solution);
        EXPECT_EQ(st, expected) << ttc_last_error();
        EXPECT_NE(std::string(ttc_last_error()).find(needle), std::string::npos)
            << "message '" << ttc_last_error() << "' does not name " << needle;
        EXPECT_TRUE(outputs_untouched());
    }

    void expect_rejected(ttc_status expected, const std::string& needle) { expect_rejected(expected, needle, &p, &s); }

    ExplicitCase c;
    std::unique_ptr<Typed<double>> x;
    ttc_explicit_problem p{};
    Vec u1, u, h, lam, P0;
    ttc_solution s{};
};

TEST_F(ExplicitBadInput, ValidInputSucceedsAndClearsTheError) {
    ASSERT_EQ(ttc_explicit_forward_f64(nullptr, nullptr, &s), TTC_STATUS_NULL_POINTER);
    EXPECT_STRNE(ttc_last_error(), "");
    ASSERT_EQ(ttc_explicit_forward_f64(&p, nullptr, &s), TTC_STATUS_OK) << ttc_last_error();
    EXPECT_STREQ(ttc_last_error(), "");
    EXPECT_EQ(ttc_last_error_batch_index(), -1);
    EXPECT_FALSE(outputs_untouched());
}

TEST(Float32BadInput, EveryEntryPointValidates) {
    ttc_solution s{};
    ttc_upstream up{};
    ttc_explicit_grads g{};
    ttc_discounted_grads dg{};
    EXPECT_EQ(ttc_explicit_forward_f32(nullptr, nullptr, &s), TTC_STATUS_NULL_POINTER);
    EXPECT_EQ(ttc_explicit_backward_f32(nullptr, nullptr, &up, &g), TTC_STATUS_NULL_POINTER);
    EXPECT_EQ(ttc_discounted_forward_f32(nullptr, nullptr, &s), TTC_STATUS_NULL_POINTER);
    EXPECT_EQ(ttc_discounted_backward_f32(nullptr, nullptr, &up, &dg), TTC_STATUS_NULL_POINTER);
    float a = 1, B = 1, Q = 1, rho = -1, h0 = 1, u1 = 7;
    ttc_explicit_problem p{};
    p.a = tensor(&a, {1, 1, 1, 1});
    p.B = tensor(&B, {1, 1, 1, 1, 1});
    p.Q = tensor(&Q, {1, 1, 1, 1, 1});
    p.rho = tensor(&rho, {1, 1, 1, 1});
    p.h0 = tensor(&h0, {1, 1, 1});
    s.u1 = tensor(&u1, {1, 1, 1});
    EXPECT_EQ(ttc_explicit_forward_f32(&p, nullptr, &s), TTC_STATUS_NON_POSITIVE_RHO);
    EXPECT_NE(std::string(ttc_last_error()).find("'rho'"), std::string::npos);
    EXPECT_EQ(u1, 7.0f);
}

TEST_F(ExplicitBadInput, NullPointers) {
    expect_rejected(TTC_STATUS_NULL_POINTER, "'problem'", nullptr, &s);
    expect_rejected(TTC_STATUS_NULL_POINTER, "'solution'", &p, nullptr);
    p.a.data = nullptr;
    expect_rejected(TTC_STATUS_NULL_POINTER, "'a'");
}

TEST_F(ExplicitBadInput, AbsentRequiredTensor) {
    p.B = ttc_tensor{};
    expect_rejected(TTC_STATUS_NULL_POINTER, "'B'");
}

TEST_F(ExplicitBadInput, NonFiniteAnywhere) {
    const std::pair<std::vector<double>*, const char*> fields[] = {{&x->a, "'a'"},     {&x->B, "'B'"},
                                                                   {&x->Q, "'Q'"},     {&x->rho, "'rho'"},
                                                                   {&x->h0, "'h0'"},   {&x->q, "'q'"},
                                                                   {&x->r, "'r'"}};
    for (const auto& [v, name] : fields) {
        for (double bad : {kNaN, std::numeric_limits<double>::infinity()}) {
            const double saved = v->back();
            v->back() = bad;
            expect_rejected(TTC_STATUS_NON_FINITE, name);
            EXPECT_EQ(ttc_last_error_batch_index(), 3) << name;
            v->back() = saved;
        }
    }
}

TEST_F(ExplicitBadInput, NonPositiveRho) {
    for (double bad : {0.0, -0.5}) {
        x->rho[2 * 3 * 2 + 1] = bad;  // problem 2
        expect_rejected(TTC_STATUS_NON_POSITIVE_RHO, "'rho'");
        EXPECT_EQ(ttc_last_error_batch_index(), 2);
    }
}

TEST_F(ExplicitBadInput, ZeroDiagonal) {
    x->a[1 * 3 * 3 + 4] = 0.0;  // problem 1, step 2
    expect_rejected(TTC_STATUS_ZERO_DIAGONAL, "'a'");
    EXPECT_EQ(ttc_last_error_batch_index(), 1);
}

TEST_F(ExplicitBadInput, NegativeHorizonAndEmptyDimensions) {
    p.a.shape[2] = -1;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "T = -1");
    p.a.shape[2] = 3;
    p.a.shape[3] = 0;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "n = 0");
    p.a.shape[3] = 3;
    p.rho.shape[3] = 0;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "m = 0");
}

TEST_F(ExplicitBadInput, ShapeMismatchNamesTheTensorAndTheExpectedShape) {
    p.B.shape[4] = 3;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "'B' has shape [2, 2, 3, 3, 3]; expected [N, H, T, n, m] = [2, 2, 3, 3, 2]");
    p.B.shape[4] = 2;
    p.h0.ndim = 2;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "'h0' has rank 2");
    p.h0.ndim = 3;
    s.P0.shape[3] = 2;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "'P0'");
}

// a and rho give the dimensions, so their rank is checked before anything else.
TEST_F(ExplicitBadInput, WrongRankOfTheTensorsThatGiveTheDimensions) {
    p.a.ndim = 3;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "argument 'a' has rank 3; expected rank 4, shape [N, H, T, n]");
    p.a.ndim = 4;
    p.rho.ndim = 5;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "argument 'rho' has rank 5; expected rank 4, shape [N, H, T, m]");
}

TEST_F(ExplicitBadInput, CapacityTooSmall) {
    p.Q.capacity -= 1;
    expect_rejected(TTC_STATUS_CAPACITY_TOO_SMALL, "'Q'");
    p.Q.capacity += 1;
    s.h.capacity = 5;
    expect_rejected(TTC_STATUS_CAPACITY_TOO_SMALL, "'h'");
}

TEST_F(ExplicitBadInput, SizesThatOverflowInt64) {
    ttc_explicit_problem big = p;
    big.a.shape[0] = std::int64_t(1) << 40;
    big.a.shape[1] = std::int64_t(1) << 40;
    expect_rejected(TTC_STATUS_SIZE_OVERFLOW, "'a'", &big, &s);
    big = p;
    big.r.strides[2] = std::numeric_limits<std::int64_t>::max() / 2;
    expect_rejected(TTC_STATUS_SIZE_OVERFLOW, "'r'", &big, &s);
}

TEST_F(ExplicitBadInput, Strides) {
    p.B.strides[2] = 0;
    expect_rejected(TTC_STATUS_BAD_STRIDE, "'B' has stride 0 on axis 2");
    p.B.strides[2] = -6;
    expect_rejected(TTC_STATUS_BAD_STRIDE, "'B' has negative stride");
    p.B = describe(c, *x).B;
    s.u1.strides[2] = 2;
    s.u1.capacity = 100;
    expect_rejected(TTC_STATUS_BAD_STRIDE, "'u1' must be dense");
}

TEST_F(ExplicitBadInput, OutputsMustNotOverlapInputsOrEachOther) {
    ttc_solution bad = s;
    bad.u1.data = x->a.data();
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "'u1' overlaps input 'a'", &p, &bad);
    bad = s;
    bad.lambda.data = h.data();
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "overlaps output", &p, &bad);
}

TEST_F(ExplicitBadInput, UnknownOptions) {
    ttc_options o = options_for(TTC_SOLVER_SYMPLECTIC);
    o.solver = 7;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "options.solver", &p, &s, &o);
    o = options_for(TTC_SOLVER_RICCATI);
    o.storage = -1;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "options.storage", &p, &s, &o);
}

TEST_F(ExplicitBadInput, BackwardArguments) {
    Vec gu(4 * 3 * 2, 1.0), ga(2 * 1 * 3 * 3, kSentinel);
    ttc_upstream up{};
    up.grad_u = tensor(gu.data(), {2, 2, 3, 2});
    ttc_explicit_grads g{};
    g.a = tensor(ga.data(), {2, 1, 3, 3});
    auto untouched = [&] {
        for (double v : ga)
            if (v != kSentinel) return false;
        return true;
    };
    EXPECT_EQ(ttc_explicit_backward_f64(&p, nullptr, nullptr, &g), TTC_STATUS_NULL_POINTER);
    EXPECT_NE(std::string(ttc_last_error()).find("'upstream'"), std::string::npos);
    EXPECT_EQ(ttc_explicit_backward_f64(&p, nullptr, &up, nullptr), TTC_STATUS_NULL_POINTER);
    EXPECT_NE(std::string(ttc_last_error()).find("'grads'"), std::string::npos);
    gu[5] = kNaN;
    EXPECT_EQ(ttc_explicit_backward_f64(&p, nullptr, &up, &g), TTC_STATUS_NON_FINITE);
    EXPECT_NE(std::string(ttc_last_error()).find("'grad_u'"), std::string::npos);
    gu[5] = 1.0;
    up.grad_u.shape[2] = 4;
    EXPECT_EQ(ttc_explicit_backward_f64(&p, nullptr, &up, &g), TTC_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(std::string(ttc_last_error()).find("'grad_u'"), std::string::npos);
    up.grad_u.shape[2] = 3;
    g.a.shape[1] = 3;
    EXPECT_EQ(ttc_explicit_backward_f64(&p, nullptr, &up, &g), TTC_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(std::string(ttc_last_error()).find("'grad a'"), std::string::npos);
    EXPECT_TRUE(untouched());
    g.a.shape[1] = 1;
    EXPECT_EQ(ttc_explicit_backward_f64(&p, nullptr, &up, &g), TTC_STATUS_OK) << ttc_last_error();
    EXPECT_FALSE(untouched());
}

// A non-convex problem: the Riccati Cholesky fails, and the failing batch index is reported.
TEST_F(ExplicitBadInput, NonConvexReportsTheBatchIndex) {
    for (std::int64_t t = 0; t < 3; ++t)
        for (std::int64_t i = 0; i < 3; ++i) x->Q[((2 * 3 + t) * 3 + i) * 3 + i] = -50.0;  // problem 2
    const ttc_options o = options_for(TTC_SOLVER_RICCATI);
    EXPECT_EQ(ttc_explicit_forward_f64(&p, &o, &s), TTC_STATUS_NOT_CONVEX);
    EXPECT_EQ(ttc_last_error_batch_index(), 2);
    EXPECT_NE(std::string(ttc_last_error()).find("problem 2"), std::string::npos) << ttc_last_error();
}

// The symplectic solver reports NOT_CONVEX when Z_t is singular: here S_1 = rho + b^2 Q = 0 exactly.
TEST(NonConvex, SymplecticSingularZ) {
    double a = 1, B = 1, Q = -1, rho = 1, h0 = 1, u1 = kSentinel;
    ttc_explicit_problem p{};
    p.a = tensor(&a, {1, 1, 1, 1});
    p.B = tensor(&B, {1, 1, 1, 1, 1});
    p.Q = tensor(&Q, {1, 1, 1, 1, 1});
    p.rho = tensor(&rho, {1, 1, 1, 1});
    p.h0 = tensor(&h0, {1, 1, 1});
    ttc_solution s{};
    s.u1 = tensor(&u1, {1, 1, 1});
    for (ttc_solver solver : {TTC_SOLVER_SYMPLECTIC, TTC_SOLVER_RICCATI}) {
        const ttc_options o = options_for(solver);
        EXPECT_EQ(ttc_explicit_forward_f64(&p, &o, &s), TTC_STATUS_NOT_CONVEX) << solver;
        EXPECT_EQ(ttc_last_error_batch_index(), 0);
        EXPECT_NE(std::string(ttc_last_error()).find("not convex"), std::string::npos);
    }
}

class DiscountedBadInput : public ::testing::Test {
protected:
    void SetUp() override {
        Rng rng(3);
        c = random_discounted(rng, 2, 2, 4, 3, 2, true);
        x = std::make_unique<TypedDiscounted<double>>(c);
        p = describe(c, *x);
        u1.assign(4 * 2, kSentinel);
        s.u1 = tensor(u1.data(), {2, 2, 2});
    }

    void expect_rejected(ttc_status expected, const std::string& needle) {
        EXPECT_EQ(ttc_discounted_forward_f64(&p, nullptr, &s), expected) << ttc_last_error();
        EXPECT_NE(std::string(ttc_last_error()).find(needle), std::string::npos)
            << "message '" << ttc_last_error() << "' does not name " << needle;
        for (double v : u1) EXPECT_EQ(v, kSentinel);
    }

    DiscountedCase c;
    std::unique_ptr<TypedDiscounted<double>> x;
    ttc_discounted_problem p{};
    Vec u1;
    ttc_solution s{};
};

TEST_F(DiscountedBadInput, PositiveLogDiscount) {
    for (auto [v, name] : {std::pair{&x->lga, "'log_gamma_a'"}, std::pair{&x->lgb, "'log_gamma_b'"},
                           std::pair{&x->lgq, "'log_gamma_q'"}}) {
        const double saved = v->back();
        v->back() = 0.01;
        expect_rejected(TTC_STATUS_INVALID_DISCOUNT, name);
        EXPECT_EQ(ttc_last_error_batch_index(), 3);
        v->back() = saved;
    }
}

TEST_F(DiscountedBadInput, DiagonalThatReachesZero) {
    x->a[1 * 3 + 2] = -1.0;  // problem 1: 1 + gamma^t a_i = 0 when gamma = 1
    x->lga[1] = 0.0;
    expect_rejected(TTC_STATUS_ZERO_DIAGONAL, "'a'");
    EXPECT_EQ(ttc_last_error_batch_index(), 1);
}

TEST_F(DiscountedBadInput, NonFiniteAndNonPositiveRho) {
    x->Qf[5] = kNaN;
    expect_rejected(TTC_STATUS_NON_FINITE, "'Qf'");
    x->Qf[5] = 0.0;
    x->rho[0] = -1.0;
    expect_rejected(TTC_STATUS_NON_POSITIVE_RHO, "'rho'");
}

TEST_F(DiscountedBadInput, HorizonOutOfRange) {
    p.T = -2;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "T = -2");
    p.T = std::int64_t(TTC_MAX_HORIZON) + 1;
    expect_rejected(TTC_STATUS_INVALID_ARGUMENT, "TTC_MAX_HORIZON");
}

TEST_F(DiscountedBadInput, WrongRank) {
    p.log_gamma_a.ndim = 3;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "'log_gamma_a' has rank 3");
}

TEST_F(DiscountedBadInput, WrongRankOfTheTensorsThatGiveTheDimensions) {
    p.a.ndim = 4;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "argument 'a' has rank 4; expected rank 3, shape [N, H, n]");
    p.a.ndim = 3;
    p.rho.ndim = 2;
    expect_rejected(TTC_STATUS_SHAPE_MISMATCH, "argument 'rho' has rank 2; expected rank 3, shape [N, H, m]");
}

TEST(Info, StatusStringsAreDistinctAndUnknownIsNamed) {
    std::vector<std::string> seen;
    for (int s = TTC_STATUS_OK; s <= TTC_STATUS_CUDA_ERROR; ++s) {
        const std::string text = ttc_status_string(s);
        EXPECT_NE(text, "unknown status") << s;
        for (const auto& other : seen) EXPECT_NE(text, other);
        seen.push_back(text);
    }
    EXPECT_STREQ(ttc_status_string(999), "unknown status");
    EXPECT_STREQ(ttc_status_string(-1), "unknown status");
}

TEST(Info, ThreadCountAndWorkspaceArguments) {
    EXPECT_EQ(ttc_set_num_threads(0), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("'num_threads'"), std::string::npos);
    std::int64_t bytes = 0;
    EXPECT_EQ(ttc_workspace_size(TTC_DTYPE_F64, TTC_WORK_FORWARD, 4, 4, 8, nullptr, nullptr), TTC_STATUS_NULL_POINTER);
    EXPECT_EQ(ttc_workspace_size(5, TTC_WORK_FORWARD, 4, 4, 8, nullptr, &bytes), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("'dtype'"), std::string::npos);
    EXPECT_EQ(ttc_workspace_size(TTC_DTYPE_F64, 9, 4, 4, 8, nullptr, &bytes), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(ttc_workspace_size(TTC_DTYPE_F64, TTC_WORK_FORWARD, 0, 4, 8, nullptr, &bytes),
              TTC_STATUS_INVALID_ARGUMENT);
}

// Found by ttc_fuzz_abi: with T = 0 the per-step tensors address no element, so their strides are never checked
// against their capacity, and the solver must not offset a pointer by them (Clang's UBSan in build/fuzz reported the
// overflow; GCC's does not see it). Such a call succeeds with u_1 = 0.
TEST(EmptyTensors, HorizonZeroIgnoresTheStridesOfEmptyTensors) {
    const std::int64_t N = 3, H = 2, n = 2, m = 1, huge = std::numeric_limits<std::int64_t>::max() / 2;
    double unused = 0, h0[N * H * n], u1[N * H * m];
    for (double& v : h0) v = 0.5;
    for (double& v : u1) v = kSentinel;
    ttc_explicit_problem p{};
    p.a = tensor(&unused, {N, H, 0, n});
    p.B = tensor(&unused, {N, H, 0, n, m});
    p.Q = tensor(&unused, {N, H, 0, n, n});
    p.rho = tensor(&unused, {N, H, 0, m});
    for (ttc_tensor* t : {&p.a, &p.B, &p.Q, &p.rho}) {
        t->strides[0] = huge;
        t->strides[1] = huge;
        t->capacity = 0;
    }
    p.h0 = tensor(h0, {N, H, n});
    ttc_solution s{};
    s.u1 = tensor(u1, {N, H, m});
    ASSERT_EQ(ttc_explicit_forward_f64(&p, nullptr, &s), TTC_STATUS_OK) << ttc_last_error();
    for (double v : u1) EXPECT_EQ(v, 0.0);
}

// Found by ttc_fuzz_abi: n and m had no upper bound, so per-problem sizes could overflow int64 when T = 0 made every
// per-step tensor empty. They are now bounded by TTC_MAX_NM.
TEST(EmptyTensors, StateAndControlSizesAreBounded) {
    const std::int64_t m = TTC_MAX_NM + 1;
    double unused = 0, h0 = 1;
    std::vector<double> u1(static_cast<std::size_t>(m), kSentinel);
    ttc_explicit_problem p{};
    p.a = tensor(&unused, {1, 1, 0, 1});
    p.B = tensor(&unused, {1, 1, 0, 1, m});
    p.Q = tensor(&unused, {1, 1, 0, 1, 1});
    p.rho = tensor(&unused, {1, 1, 0, m});
    p.h0 = tensor(&h0, {1, 1, 1});
    ttc_solution s{};
    s.u1 = tensor(u1.data(), {1, 1, m});
    EXPECT_EQ(ttc_explicit_forward_f64(&p, nullptr, &s), TTC_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ttc_last_error()).find("exceeds TTC_MAX_NM"), std::string::npos) << ttc_last_error();
    EXPECT_NE(std::string(ttc_last_error()).find("m = 65537"), std::string::npos) << ttc_last_error();
    for (double v : u1) ASSERT_EQ(v, kSentinel);
    int64_t bytes = 0;
    EXPECT_EQ(ttc_workspace_size(TTC_DTYPE_F64, TTC_WORK_FORWARD, TTC_MAX_NM + 1, 1, 8, nullptr, &bytes),
              TTC_STATUS_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace ttc::test
