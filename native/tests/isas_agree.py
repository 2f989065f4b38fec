"""Runs ttc_bits --values (bits_digest.cpp) on the AVX2 solvers and on the baseline ones (TTC_CPU_ISA=baseline) of one
library, and fails unless every output agrees within DESIGN.md §0's tolerances, with the baseline as the reference, and
every status is the same. The two differ in rounding only: the AVX2 solvers fuse their multiply-adds (core/hd.hpp).
Exits 77 (skipped) on a CPU without AVX2 and FMA.

Usage: isas_agree.py TTC_BITS            runs both
       isas_agree.py --files AVX2 BASE   compares two files that ttc_bits --values wrote (tools/windows_check.sh)
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
from design_tolerances import TOLERANCE, error  # noqa: E402


def run(bits, isa_override, values):
    env = dict(os.environ)
    env.pop("TTC_CPU_ISA", None)
    if isa_override:
        env["TTC_CPU_ISA"] = isa_override
    out = subprocess.run([bits, "--values", values], check=True, capture_output=True, text=True, env=env).stdout
    return out.splitlines()[0].split(":", 1)[1].strip()


def compare(avx2_file, baseline_file):
    with open(avx2_file) as f:
        avx2 = [line.split() for line in f]
    with open(baseline_file) as f:
        baseline = [line.split() for line in f]
    if not avx2 or len(avx2) != len(baseline):
        print(f"ttc_bits wrote {len(avx2)} lines on AVX2 and {len(baseline)} on the baseline")
        return 1
    worst = {key: 0.0 for key in TOLERANCE}
    failures = 0
    for number, (x, y) in enumerate(zip(avx2, baseline), start=1):
        if x[0] == "status" or y[0] == "status":
            if x != y:
                print(f"line {number}: status {x[1:]} on AVX2, {y[1:]} on the baseline")
                failures += 1
            continue
        key = (x[0], x[1])
        if key != (y[0], y[1]) or len(x) != len(y):
            print(f"line {number}: {' '.join(x[:2])} of {len(x) - 2} values against {' '.join(y[:2])} of {len(y) - 2}")
            failures += 1
            continue
        e = error([float(v) for v in x[2:]], [float(v) for v in y[2:]])
        worst[key] = max(worst[key], e)
        if not e <= TOLERANCE[key]:
            print(f"line {number}: {' '.join(key)} differs by {e:.3g} > {TOLERANCE[key]:g}")
            failures += 1
    for (dtype, kind), e in worst.items():
        print(f"{dtype} {kind}s: worst difference {e:.3g} (tolerance {TOLERANCE[(dtype, kind)]:g})")
    print(f"{len(avx2)} lines compared, {failures} beyond tolerance")
    return 1 if failures else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--files":
        return compare(sys.argv[2], sys.argv[3])
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    bits = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        avx2_file, baseline_file = os.path.join(tmp, "avx2.txt"), os.path.join(tmp, "baseline.txt")
        default_isa = run(bits, None, avx2_file)
        baseline_isa = run(bits, "baseline", baseline_file)
        if baseline_isa != "baseline":
            print("TTC_CPU_ISA=baseline did not select the baseline solvers")
            return 1
        if default_isa == "baseline":
            print("this CPU has no AVX2 with FMA: only the baseline solvers can run here")
            return 77
        return compare(avx2_file, baseline_file)


if __name__ == "__main__":
    sys.exit(main())
