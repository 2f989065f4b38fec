"""ctypes view of the C ABI (native/include/ttc/ttc.h, ttc_cuda.h) for the GPU benchmark: torch CUDA tensors are
passed as ttc_tensor descriptors holding device pointers."""
import ctypes

MAX_DIMS = 6


class Tensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("ndim", ctypes.c_int64), ("shape", ctypes.c_int64 * MAX_DIMS),
                ("strides", ctypes.c_int64 * MAX_DIMS), ("capacity", ctypes.c_int64)]


def describe(t=None):
    """A ttc_tensor for a torch tensor (device pointer, element strides); an absent tensor for None."""
    d = Tensor()
    if t is None:
        return d
    d.data = t.data_ptr()
    d.ndim = t.dim()
    for k in range(t.dim()):
        d.shape[k] = t.shape[k]
        d.strides[k] = t.stride(k)
    d.capacity = t.untyped_storage().nbytes() // t.element_size() - t.storage_offset()
    return d


DISCOUNTED_FIELDS = ["a", "log_gamma_a", "B", "log_gamma_b", "Q", "log_gamma_q", "Qf", "rho", "h0"]


class DiscountedProblem(ctypes.Structure):
    _fields_ = [("T", ctypes.c_int64)] + [(f, Tensor) for f in DISCOUNTED_FIELDS]


class DiscountedGrads(ctypes.Structure):
    _fields_ = [(f, Tensor) for f in DISCOUNTED_FIELDS]


class Solution(ctypes.Structure):
    _fields_ = [(f, Tensor) for f in ["u1", "u", "h", "lambda_", "P0"]]


class Upstream(ctypes.Structure):
    _fields_ = [("grad_u", Tensor), ("grad_h", Tensor)]


def load(path):
    lib = ctypes.CDLL(path)
    lib.ttc_cuda_last_error.restype = ctypes.c_char_p
    count = ctypes.c_int32(0)
    if lib.ttc_cuda_available(ctypes.byref(count)) != 0:
        raise RuntimeError(lib.ttc_cuda_last_error().decode())
    return lib


def check(lib, status, what):
    if status != 0:
        raise RuntimeError(f"{what}: status {status}: {lib.ttc_cuda_last_error().decode()}")
