"""The generated ctypes bindings (bindings/python) against the real libraries: every argument crosses the ABI at its
declared width, solutions match an independent pure-Python Riccati (DESIGN.md E4), gradients match finite
differences, and errors come back as statuses with a message naming the argument.

    TTC_LIB=build/release/native/libttc.so [TTC_CUDA_LIB=.../libttc_cuda.so] PYTHONPATH=bindings/python \
        python3 -m unittest native/tests/python/test_ctypes_bindings.py
"""
import ctypes
import os
import random
import unittest

import ttc_native as ttc
from design_tolerances import TOLERANCE, error

F64_OUTPUT_TOL, F64_GRAD_TOL = TOLERANCE[("f64", "output")], TOLERANCE[("f64", "gradient")]


class Array:
    """A dense f64 host array and its ttc_tensor descriptor."""

    def __init__(self, shape, values=None):
        self.shape = list(shape)
        size = 1
        for extent in self.shape:
            size *= extent
        self.buffer = (ctypes.c_double * max(size, 1))(*(values or []))
        self.size = size

    def tensor(self):
        t = ttc.ttc_tensor()
        t.data = ctypes.cast(self.buffer, ctypes.c_void_p)
        t.ndim = len(self.shape)
        stride = 1
        for axis in reversed(range(len(self.shape))):
            t.shape[axis] = self.shape[axis]
            t.strides[axis] = stride
            stride *= self.shape[axis]
        t.capacity = self.size
        return t

    def values(self):
        return list(self.buffer[: self.size])


def matmul(X, Y):
    return [[sum(X[i][k] * Y[k][j] for k in range(len(Y))) for j in range(len(Y[0]))] for i in range(len(X))]


def transpose(X):
    return [list(row) for row in zip(*X)]


def solve_spd(S, Y):
    """S^-1 Y by Gauss-Jordan elimination (S small and symmetric positive definite)."""
    n = len(S)
    M = [list(S[i]) + list(Y[i]) for i in range(n)]
    for c in range(n):
        pivot = M[c][c]
        M[c] = [v / pivot for v in M[c]]
        for r in range(n):
            if r != c:
                f = M[r][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return [row[n:] for row in M]


def riccati_u1(a, B, Q, rho, h0):
    """u_1 of one explicit-form problem by E4, in plain Python: a[t][i], B[t] n x m, Q[t] n x n, rho[t][j]."""
    T, n = len(a), len(h0)
    P = [[0.5 * (Q[T - 1][i][j] + Q[T - 1][j][i]) for j in range(n)] for i in range(n)]
    K = None
    for t in range(T, 0, -1):
        A = [[a[t - 1][i] if i == j else 0.0 for j in range(n)] for i in range(n)]
        Bt = B[t - 1]
        PB = matmul(P, Bt)
        S = matmul(transpose(Bt), PB)
        for j in range(len(S)):
            S[j][j] += rho[t - 1][j]
        K = solve_spd(S, matmul(transpose(PB), A))
        closed = [[A[i][j] - sum(Bt[i][k] * K[k][j] for k in range(len(K))) for j in range(n)] for i in range(n)]
        P = matmul(matmul(A, P), closed)
        if t > 1:
            P = [[P[i][j] + 0.5 * (Q[t - 2][i][j] + Q[t - 2][j][i]) for j in range(n)] for i in range(n)]
        P = [[0.5 * (P[i][j] + P[j][i]) for j in range(n)] for i in range(n)]
    return [-sum(K[j][i] * h0[i] for i in range(n)) for j in range(len(K))]


class ExplicitBatch:
    """N random, convex explicit-form problems (H = 1) with |a| ~ 1."""

    def __init__(self, N, T, n, m, seed):
        rng = random.Random(seed)
        self.N, self.T, self.n, self.m = N, T, n, m
        self.a = [[[rng.uniform(0.6, 1.2) * rng.choice((-1, 1)) for _ in range(n)] for _ in range(T)] for _ in range(N)]
        self.B = [[[[rng.gauss(0, 1) / n ** 0.5 for _ in range(m)] for _ in range(n)] for _ in range(T)]
                  for _ in range(N)]
        self.Q = []
        for _ in range(N):
            per_step = []
            for _ in range(T):
                M = [[rng.gauss(0, 1) for _ in range(n)] for _ in range(n)]
                per_step.append([[sum(M[i][k] * M[j][k] for k in range(n)) / n + (0.1 if i == j else 0.0)
                                  for j in range(n)] for i in range(n)])
            self.Q.append(per_step)
        self.rho = [[[rng.uniform(0.5, 2.0) for _ in range(m)] for _ in range(T)] for _ in range(N)]
        self.h0 = [[rng.gauss(0, 1) for _ in range(n)] for _ in range(N)]

    @staticmethod
    def flat(nested):
        if isinstance(nested, list):
            return [v for item in nested for v in ExplicitBatch.flat(item)]
        return [nested]

    def arrays(self):
        N, T, n, m = self.N, self.T, self.n, self.m
        return dict(a=Array([N, 1, T, n], self.flat(self.a)), B=Array([N, 1, T, n, m], self.flat(self.B)),
                    Q=Array([N, 1, T, n, n], self.flat(self.Q)), rho=Array([N, 1, T, m], self.flat(self.rho)),
                    h0=Array([N, 1, n], self.flat(self.h0)))

    def problem(self, arrays):
        p = ttc.ttc_explicit_problem()
        for name, array in arrays.items():
            setattr(p, name, array.tensor())
        return p


class CpuLibrary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib = ttc.bind(ctypes.CDLL(os.environ["TTC_LIB"]))

    def forward_u1(self, batch, arrays, solver):
        u1 = Array([batch.N, 1, batch.m])
        solution = ttc.ttc_solution()
        solution.u1 = u1.tensor()
        options = ttc.ttc_options(solver=solver)
        status = self.lib.ttc_explicit_forward_f64(batch.problem(arrays), options, solution)
        self.assertEqual(status, ttc.TTC_STATUS_OK, self.lib.ttc_last_error())
        return u1.values()

    def test_versions_cross_the_abi(self):
        self.assertEqual(self.lib.ttc_abi_version(), ttc.TTC_ABI_VERSION)
        self.assertTrue(self.lib.ttc_version())
        self.assertEqual(self.lib.ttc_status_string(ttc.TTC_STATUS_OK), self.lib.ttc_status_string(0))
        self.assertNotEqual(self.lib.ttc_status_string(ttc.TTC_STATUS_NOT_CONVEX), self.lib.ttc_status_string(0))

    def test_int64_sizes_cross_the_abi(self):
        # Without argtypes, ctypes would pass these as 32-bit ints; the workspace grows with T and n.
        small, large = ctypes.c_int64(-1), ctypes.c_int64(-1)
        for T, out in ((64, small), (ttc.TTC_MAX_HORIZON, large)):
            status = self.lib.ttc_workspace_size(ttc.TTC_DTYPE_F64, ttc.TTC_WORK_BACKWARD, 64, 64, T, None,
                                                 ctypes.byref(out))
            self.assertEqual(status, ttc.TTC_STATUS_OK, self.lib.ttc_last_error())
        self.assertGreater(small.value, 0)
        self.assertGreater(large.value, 2 ** 32)
        self.assertGreater(large.value, small.value)

    def test_both_solvers_match_an_independent_riccati(self):
        batch = ExplicitBatch(N=3, T=6, n=4, m=3, seed=11)
        arrays = batch.arrays()
        expected = [u for b in range(batch.N) for u in riccati_u1(batch.a[b], batch.B[b], batch.Q[b], batch.rho[b],
                                                                    batch.h0[b])]
        for solver in (ttc.TTC_SOLVER_SYMPLECTIC, ttc.TTC_SOLVER_RICCATI):
            with self.subTest(solver=solver):
                self.assertLess(error(self.forward_u1(batch, arrays, solver), expected), F64_OUTPUT_TOL)

    def test_gradient_of_h0_matches_finite_differences(self):
        batch = ExplicitBatch(N=2, T=5, n=3, m=2, seed=5)
        arrays = batch.arrays()
        weights = Array([batch.N, 1, 1, batch.m], [0.7, -1.3, 0.4, 2.1])
        upstream = ttc.ttc_upstream()
        upstream.grad_u = weights.tensor()
        grad_h0 = Array([batch.N, 1, batch.n])
        grads = ttc.ttc_explicit_grads()
        grads.h0 = grad_h0.tensor()
        status = self.lib.ttc_explicit_backward_f64(batch.problem(arrays), None, upstream, grads)
        self.assertEqual(status, ttc.TTC_STATUS_OK, self.lib.ttc_last_error())

        def loss():
            u1 = self.forward_u1(batch, arrays, ttc.TTC_SOLVER_SYMPLECTIC)
            return sum(w * u for w, u in zip(weights.values(), u1))

        step, numeric = 1e-6, []
        for k in range(arrays["h0"].size):
            saved = arrays["h0"].buffer[k]
            arrays["h0"].buffer[k] = saved + step
            up = loss()
            arrays["h0"].buffer[k] = saved - step
            down = loss()
            arrays["h0"].buffer[k] = saved
            numeric.append((up - down) / (2 * step))
        self.assertLess(error(grad_h0.values(), numeric), F64_GRAD_TOL)

    def test_a_bad_shape_is_a_status_naming_the_field(self):
        batch = ExplicitBatch(N=2, T=3, n=3, m=2, seed=1)
        arrays = batch.arrays()
        arrays["B"] = Array([batch.N, 1, batch.T, batch.n, batch.m + 1])
        u1 = Array([batch.N, 1, batch.m], [7.0] * (batch.N * batch.m))
        solution = ttc.ttc_solution()
        solution.u1 = u1.tensor()
        status = self.lib.ttc_explicit_forward_f64(batch.problem(arrays), None, solution)
        self.assertEqual(status, ttc.TTC_STATUS_SHAPE_MISMATCH)
        self.assertIn(b"B", self.lib.ttc_last_error())
        self.assertEqual(u1.values(), [7.0] * (batch.N * batch.m))


@unittest.skipUnless(os.environ.get("TTC_CUDA_LIB"), "libttc_cuda.so not built (no nvcc)")
class CudaLibrary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import ttc_cuda_native
        cls.cuda = ttc_cuda_native
        cls.lib = ttc_cuda_native.bind(ctypes.CDLL(os.environ["TTC_CUDA_LIB"]))

    def test_abi_version_matches_the_header(self):
        self.assertEqual(self.lib.ttc_cuda_abi_version(), ttc.TTC_ABI_VERSION)

    def test_availability_is_a_count_or_a_reason(self):
        count = ctypes.c_int32(-1)
        status = self.lib.ttc_cuda_available(ctypes.byref(count))
        if status == ttc.TTC_STATUS_OK:
            self.assertGreater(count.value, 0)
        else:
            self.assertEqual(status, ttc.TTC_STATUS_CUDA_UNAVAILABLE)
            self.assertEqual(count.value, 0)
            self.assertTrue(self.lib.ttc_cuda_last_error())

    def test_status_words_decode_through_uint64(self):
        # The header's encoding: ((LIMIT - 1 - batch_index) << 8) | status; batch 0 sets bit 62.
        for batch_index, code in ((0, ttc.TTC_STATUS_NOT_CONVEX), (123456789012, ttc.TTC_STATUS_NON_FINITE)):
            word = ((self.cuda.TTC_CUDA_STATUS_BATCH_LIMIT - 1 - batch_index) << 8) | code
            status, index = ctypes.c_int32(-1), ctypes.c_int64(-2)
            self.assertEqual(self.lib.ttc_cuda_decode_status(word, ctypes.byref(status), ctypes.byref(index)),
                             ttc.TTC_STATUS_OK)
            self.assertEqual((status.value, index.value), (code, batch_index))

    def test_workspace_of_a_large_batch_crosses_the_abi(self):
        one, many = ctypes.c_int64(-1), ctypes.c_int64(-1)
        for problems, out in ((1, one), (2 ** 33, many)):
            status = self.lib.ttc_cuda_workspace_size(ttc.TTC_DTYPE_F32, ttc.TTC_WORK_BACKWARD, problems, 16, 16, 8,
                                                      None, ctypes.byref(out))
            self.assertEqual(status, ttc.TTC_STATUS_OK, self.lib.ttc_cuda_last_error())
        self.assertGreater(many.value, 2 ** 33)


if __name__ == "__main__":
    unittest.main()
