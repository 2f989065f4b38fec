#!/usr/bin/env bash
# The CUDA backend's work on a GPU machine (docs/CUDA.md), in stages that each fit in one 10-minute command of the
# device tool. Each stage builds build/gpu first (incremental) with the machine's nvcc, then writes its logs to DIR
# ($OUT there; commit them under bench/results/<device>-<date>/).
#   native/bench/gpu/gpu_session.sh check    DIR   nvidia-smi, the build, ttc_cuda_check (full, then quick)
#   native/bench/gpu/gpu_session.sh sanitize DIR   compute-sanitizer memcheck, racecheck and synccheck, quick cases
#   native/bench/gpu/gpu_session.sh bench    DIR   bench_cuda.py (stops starting cases after TTC_BENCH_BUDGET_S, 420)
#   native/bench/gpu/gpu_session.sh tilings  DIR   bench_cuda.py --quick with a thread, a warp, a block of 64 and of
#                                                  128 threads per problem (TTC_CUDA_TEAM_SIZE)
#   native/bench/gpu/gpu_session.sh profile  DIR   ncu: speed of light, memory and occupancy of the first forward and
#                                                  backward kernels of bench_cuda.py --quick
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BUILD="$ROOT/build/gpu"
stage="${1:?usage: gpu_session.sh check|sanitize|bench|tilings|profile DIR}"
out="${2:?usage: gpu_session.sh check|sanitize|bench|tilings|profile DIR}"
mkdir -p "$out"
export PYTHONUNBUFFERED=1

build() {
  local started=$SECONDS
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTTC_BUILD_TESTS=OFF -DTTC_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES=90 >"$out/build.log" 2>&1
  cmake --build "$BUILD" >>"$out/build.log" 2>&1 || { tail -50 "$out/build.log"; exit 1; }
  echo "build: $((SECONDS - started)) s ($(nvcc --version | tail -1))" | tee -a "$out/build.log"
}

check_binary="$BUILD/native/tests/cuda/ttc_cuda_check"
case "$stage" in
  check)
    nvidia-smi >"$out/nvidia-smi.txt" 2>&1 || true
    build
    set +e
    "$check_binary" 2>&1 | tee "$out/ttc_cuda_check.log"
    full=${PIPESTATUS[0]}
    TTC_CUDA_CHECK_QUICK=1 "$check_binary" 2>&1 | tee "$out/ttc_cuda_check_quick.log"
    quick=${PIPESTATUS[0]}
    echo "ttc_cuda_check exit $full, quick exit $quick" | tee -a "$out/ttc_cuda_check.log"
    exit $((full > quick ? full : quick))
    ;;
  sanitize)
    build
    status=0
    for tool in memcheck racecheck synccheck; do
      TTC_CUDA_CHECK_QUICK=1 compute-sanitizer --tool "$tool" --error-exitcode 3 "$check_binary" \
        >"$out/compute-sanitizer-$tool.log" 2>&1 || status=1
      tail -3 "$out/compute-sanitizer-$tool.log"
    done
    exit $status
    ;;
  bench)
    build
    python3 "$ROOT/native/bench/gpu/bench_cuda.py" --lib "$BUILD/native/libttc_cuda.so" --out "$out" \
      --budget-s "${TTC_BENCH_BUDGET_S:-420}" 2>&1 | tee "$out/bench.log"
    ;;
  tilings)
    # The quick cases with each kind of team forced (launch_plan.hpp): a thread, a warp, blocks of 64 and 128.
    build
    for size in 1 32 64 128; do
      python3 "$ROOT/native/bench/gpu/bench_cuda.py" --lib "$BUILD/native/libttc_cuda.so" --quick --reps 2 \
        --team-size "$size" --out "$out/tilings-$size" 2>&1 | tee "$out/tilings-$size.log"
    done
    ;;
  profile)
    build
    ncu --clock-control none --kernel-name regex:'forward_kernel|backward_kernel' --launch-count 2 \
      --section SpeedOfLight --section MemoryWorkloadAnalysis --section Occupancy --section LaunchStats \
      python3 "$ROOT/native/bench/gpu/bench_cuda.py" --lib "$BUILD/native/libttc_cuda.so" --quick --reps 1 \
      >"$out/ncu.log" 2>&1
    tail -60 "$out/ncu.log"
    ;;
  *) echo "unknown stage '$stage': check|sanitize|bench|tilings|profile" >&2; exit 2 ;;
esac
