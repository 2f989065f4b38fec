"""libttc_cuda.so for the GPU benchmark, through the ctypes bindings generated from the C ABI headers
(bindings/python; bindings/generate.sh): torch CUDA tensors are passed as ttc_tensor descriptors of device pointers."""
import ctypes
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bindings", "python"))
import ttc_cuda_native  # noqa: E402
import ttc_native  # noqa: E402

DISCOUNTED_FIELDS = [name for name, _ in ttc_native.ttc_discounted_grads._fields_]


def describe(t=None):
    """A ttc_tensor for a torch tensor (device pointer, element strides); an absent tensor for None."""
    d = ttc_native.ttc_tensor()
    if t is None:
        return d
    d.data = t.data_ptr()
    d.ndim = t.dim()
    for k in range(t.dim()):
        d.shape[k] = t.shape[k]
        d.strides[k] = t.stride(k)
    d.capacity = t.untyped_storage().nbytes() // t.element_size() - t.storage_offset()
    return d


def load(path):
    """The CUDA library with every prototype bound; raises with the library's reason when no device is usable."""
    lib = ttc_cuda_native.bind(ctypes.CDLL(path))
    if lib.ttc_cuda_abi_version() != ttc_native.TTC_ABI_VERSION:
        raise RuntimeError(f"{path} has ABI {lib.ttc_cuda_abi_version()}, the headers {ttc_native.TTC_ABI_VERSION}")
    count = ctypes.c_int32(0)
    if lib.ttc_cuda_available(ctypes.byref(count)) != ttc_native.TTC_STATUS_OK:
        raise RuntimeError(lib.ttc_cuda_last_error().decode())
    return lib


def check(lib, status, what):
    if status != ttc_native.TTC_STATUS_OK:
        raise RuntimeError(f"{what}: status {status}: {lib.ttc_cuda_last_error().decode()}")


def decode(lib, word):
    """(status, batch index) of a device status word."""
    status, index = ctypes.c_int32(0), ctypes.c_int64(0)
    check(lib, lib.ttc_cuda_decode_status(word, ctypes.byref(status), ctypes.byref(index)), "decode")
    return status.value, index.value
