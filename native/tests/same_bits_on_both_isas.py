"""Runs ttc_bits (bits_digest.cpp) on the AVX2 solvers and on the baseline ones (TTC_CPU_ISA=baseline) of one library,
and fails unless both print the same digests of every output bit. Exits 77 (skipped) on a CPU without AVX2.

Usage: same_bits_on_both_isas.py TTC_BITS
"""
import os
import subprocess
import sys


def run(bits, isa_override):
    env = dict(os.environ)
    env.pop("TTC_CPU_ISA", None)
    if isa_override:
        env["TTC_CPU_ISA"] = isa_override
    lines = subprocess.run([bits], check=True, capture_output=True, text=True, env=env).stdout.splitlines()
    isa = lines[0].split(":", 1)[1].strip()
    return isa, lines[1:]


def main():
    bits = sys.argv[1]
    default_isa, default_digests = run(bits, None)
    baseline_isa, baseline_digests = run(bits, "baseline")
    print(f"{default_isa}: {default_digests}\n{baseline_isa}: {baseline_digests}")
    if baseline_isa != "baseline":
        print("TTC_CPU_ISA=baseline did not select the baseline solvers")
        return 1
    if default_isa == "baseline":
        print("this CPU has no AVX2: only the baseline solvers can run here")
        return 77
    if default_digests != baseline_digests:
        print("the AVX2 and baseline solvers give different bits")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
