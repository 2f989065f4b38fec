#!/usr/bin/env python3
"""Bytes a problem needs for saved sweep states (ttc_saved_size) beside the backward's own workspace
(ttc_workspace_size), per dtype, storage and horizon. Run from the repository root after ./build.sh:
    python3 native/bench/saved_memory.py [--n 16] [--m 16] [--T 8 64 1024]"""
import argparse
import ctypes
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
import ttc_native as ttc  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--T", type=int, nargs="+", default=[8, 64, 1024])
    parser.add_argument("--lib", default=os.path.join(ROOT, "artifacts/runtimes/linux-x64/native/libttc.so"))
    args = parser.parse_args()
    lib = ttc.bind(ctypes.CDLL(args.lib))
    bytes_ = ctypes.c_int64()

    def query(function, *leading):
        status = function(*leading, ctypes.byref(options), ctypes.byref(bytes_))
        if status != ttc.TTC_STATUS_OK:
            sys.exit(f"{function.__name__}: {lib.ttc_last_error().decode()}")
        return bytes_.value

    print("dtype | storage | T | saved states (B a problem) | backward workspace (B a problem)")
    for dtype, dtype_name in ((ttc.TTC_DTYPE_F64, "f64"), (ttc.TTC_DTYPE_F32, "f32")):
        for storage, storage_name in ((ttc.TTC_STORAGE_CHECKPOINTS, "checkpoints"), (ttc.TTC_STORAGE_FULL, "full")):
            options = ttc.ttc_options(ttc.TTC_SOLVER_SYMPLECTIC, storage)
            for T in args.T:
                saved = query(lib.ttc_saved_size, dtype, 1, args.n, args.m, T)
                work = query(lib.ttc_workspace_size, dtype, ttc.TTC_WORK_BACKWARD, args.n, args.m, T)
                print(f"{dtype_name} | {storage_name} | {T} | {saved} | {work}")


if __name__ == "__main__":
    main()
