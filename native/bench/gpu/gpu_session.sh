#!/usr/bin/env bash
# The CUDA backend's work on a GPU machine (docs/CUDA.md). Each stage builds build/gpu first (incremental) with the
# machine's nvcc, then writes its raw logs to DIR ($OUT there; commit them under bench/results/<device>-<date>/).
# A device machine goes back 30 s after a command and starts bare, so the first two stages do a session's work in
# two 10-minute commands; each writes at most 8 files (what the device tool brings back), and stops starting steps
# when TTC_SESSION_S (default 540) seconds have passed since it began.
#   native/bench/gpu/gpu_session.sh all      DIR   nvidia-smi, the build, check, sanitize, then bench with the time left
#   native/bench/gpu/gpu_session.sh tune     DIR   the build, tilings, then profile
#   native/bench/gpu/gpu_session.sh one-call DIR   for a task lent 15 minutes of device time (one machine start and one
#                                                  command): nvidia-smi, the build, check, sanitize, commits when
#                                                  build/gpu-trees was carried, then bench with the time left, in 7 files
# The steps, also one stage each:
#   native/bench/gpu/gpu_session.sh check    DIR   ttc_cuda_check, quick cases then the full list
#   native/bench/gpu/gpu_session.sh sanitize DIR   compute-sanitizer memcheck, racecheck and synccheck, quick cases
#   native/bench/gpu/gpu_session.sh bench    DIR   bench_cuda.py, DESIGN.md §7's cases and sweeps (results.json)
#   native/bench/gpu/gpu_session.sh tilings  DIR   bench_cuda.py --quick and two DESIGN.md §7 cases, with the library's
#                                                  team, a warp, and blocks of 64, 128 and 256 threads (tilings.json)
#   native/bench/gpu/gpu_session.sh profile  DIR   ncu: speed of light, memory, occupancy and warp states of the first
#                                                  forward and backward kernels of bench_cuda.py --quick, or of the case
#                                                  TTC_PROFILE_CASE (N:n:T, n = m) when set
#   native/bench/gpu/gpu_session.sh registers DIR  the f32 kernels capped at 128 registers (the library's build) against
#                                                  uncapped (a second build, TTC_CUDA_F32_MIN_BLOCKS=1: 255 registers,
#                                                  0-3 LDL/STL in loops, half the blocks per SM) on four DESIGN.md §7
#                                                  cases
#   native/bench/gpu/gpu_session.sh commits  DIR   the library of each source tree under build/gpu-trees (earlier
#                                                  commits, exported by export_trees.sh and carried), then this tree's,
#                                                  on two DESIGN.md §7 cases: which commit made the kernels faster
# Exit status: 0 when every step ran and passed, 1 when one failed or was cut short.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BUILD="$ROOT/build/gpu"
BENCH="$ROOT/native/bench/gpu/bench_cuda.py"
LIB="$BUILD/native/libttc_cuda.so"
CHECK="$BUILD/native/tests/cuda/ttc_cuda_check"
usage="usage: gpu_session.sh all|tune|one-call|check|sanitize|bench|tilings|profile|registers|commits DIR"
stage="${1:?$usage}"
out="${2:?$usage}"
mkdir -p "$out"
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
# compute-sanitizer and ncu ship with the toolkit: look beside nvcc when they are not on the PATH.
if command -v nvcc >/dev/null 2>&1; then PATH="$PATH:$(dirname "$(readlink -f "$(command -v nvcc)")")"; fi
deadline=$(($(date +%s) + ${TTC_SESSION_S:-540}))
failed=0

seconds_left() { echo $((deadline - $(date +%s))); }

# Runs the step function `name` in a child shell when time is left, under a timeout of the time left, and records
# its outcome.
step() {
  local name="$1" started=$SECONDS left
  left=$(seconds_left)
  if ((left < 20)); then
    echo "== $name: skipped, ${left} s left of TTC_SESSION_S" | tee -a "$out/session.log"
    failed=1
    return
  fi
  echo "== $name (${left} s left)"
  timeout --kill-after=15 "$left" bash -o pipefail -c "$name"
  local status=$?
  ((status == 124 || status == 137)) && echo "== $name: cut short after $((SECONDS - started)) s"
  ((status != 0)) && failed=1
  echo "== $name: exit $status, $((SECONDS - started)) s" | tee -a "$out/session.log"
}

# Configures the sources SRC into DIR for sm_90 and builds TARGET, into the log LOG, with any further cmake arguments.
configure_and_build() {  # SRC DIR LOG TARGET [cmake arguments]
  local src="$1" dir="$2" log="$3" target="$4"
  shift 4
  cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTTC_BUILD_TESTS=OFF -DTTC_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES=90 "$@" >"$log" 2>&1 &&
    cmake --build "$dir" --target "$target" >>"$log" 2>&1 || { tail -50 "$log"; return 1; }
}

build() {
  configure_and_build "$ROOT" "$BUILD" "$out/build.log" all && nvcc --version | tail -1 >>"$out/build.log"
}

check() {
  local quick full
  { echo "# TTC_CUDA_CHECK_QUICK=1 $CHECK"; TTC_CUDA_CHECK_QUICK=1 "$CHECK"; } 2>&1 | tee "$out/ttc_cuda_check.log"
  quick=${PIPESTATUS[0]}
  { echo "# $CHECK"; "$CHECK"; } 2>&1 | tee -a "$out/ttc_cuda_check.log"
  full=${PIPESTATUS[0]}
  echo "ttc_cuda_check: quick exit $quick, full exit $full" | tee -a "$out/ttc_cuda_check.log"
  ((quick == 0 && full == 0))
}

sanitize() {
  local status=0 tool
  : >"$out/compute-sanitizer.log"
  for tool in memcheck racecheck synccheck; do
    echo "# TTC_CUDA_CHECK_QUICK=1 compute-sanitizer --tool $tool --error-exitcode 3 $CHECK" >>"$out/compute-sanitizer.log"
    TTC_CUDA_CHECK_QUICK=1 compute-sanitizer --tool "$tool" --error-exitcode 3 "$CHECK" \
      >>"$out/compute-sanitizer.log" 2>&1 || status=1
    tail -2 "$out/compute-sanitizer.log"
  done
  return $status
}

bench() {  # the bench stops starting cases a minute before the deadline
  python3 "$BENCH" --lib "$LIB" --out "$out" --budget-s "$(($(seconds_left) - 60))" 2>&1 | tee "$out/bench.log"
}

tilings() {  # one process, so the eager baseline is timed once per case
  python3 "$BENCH" --lib "$LIB" --quick --case 65536:16:8 --case 1024:64:64 --reps 2 --team-sizes by-n,32,64,128,256 \
    --out "$out" --results-name tilings.json --budget-s "$(($(seconds_left) - 60))" 2>&1 | tee "$out/tilings.log"
}

profile() {  # the first launch of each solve kernel
  local status=0 kernel cases=(--quick)
  [[ -n ${TTC_PROFILE_CASE:-} ]] && cases=(--case "$TTC_PROFILE_CASE")
  : >"$out/ncu.log"
  for kernel in forward_kernel backward_kernel; do
    ncu --clock-control none --kernel-name "regex:$kernel" --launch-count 1 --section SpeedOfLight \
      --section MemoryWorkloadAnalysis --section Occupancy --section LaunchStats --section WarpStateStats \
      --section ComputeWorkloadAnalysis python3 "$BENCH" --lib "$LIB" "${cases[@]}" --reps 1 >>"$out/ncu.log" 2>&1 ||
      status=1
  done
  grep -E "forward_kernel|backward_kernel|Throughput|Occupancy|Registers|Duration|Spilling|pipeline" "$out/ncu.log" |
    head -60
  return $status
}

# bench_cuda.py on each library of the caller's arrays `names` and `libs`, in a process of its own, with the same
# arguments in the same order, into LOG; the time left is shared evenly among the libraries still to run. With a
# RESULTS prefix, each also writes DIR/RESULTS-NAME.json.
bench_each() {  # LOG RESULTS|"" [bench_cuda.py arguments]
  local log="$1" prefix="$2" i status=0 results
  shift 2
  for i in "${!libs[@]}"; do
    results=()
    [[ -n $prefix ]] && results=(--out "$out" --results-name "$prefix-${names[i]}.json")
    echo "# ${names[i]}: ${libs[i]}" | tee -a "$log"
    python3 "$BENCH" --lib "${libs[i]}" "$@" "${results[@]}" \
      --budget-s "$((($(seconds_left) - 30) / (${#libs[@]} - i) - 30))" 2>&1 | tee -a "$log" || status=1
  done
  return $status
}

registers() {  # the f32 kernels capped (the library's build) and uncapped
  local uncapped="$BUILD-uncapped" names=(capped uncapped) libs=("$LIB" "$BUILD-uncapped/native/libttc_cuda.so")
  configure_and_build "$ROOT" "$uncapped" "$out/build-uncapped.log" all -DCMAKE_CUDA_FLAGS=-DTTC_CUDA_F32_MIN_BLOCKS=1 ||
    return 1
  : >"$out/registers.log"
  bench_each "$out/registers.log" registers --case 65536:16:8 --case 65536:16:32 --case 1024:64:64 --case 8192:64:64 \
    --reps 2
}

# Each tree's library, then this tree's, on the same cases. The tables go to commits.log alone (no results files), so
# that any number of trees stays within the 8 files that come back.
commits() {
  local trees=("$ROOT"/build/gpu-trees/*/) tree name built libs=() names=() status=0
  if [[ ! -d ${trees[0]} ]]; then
    echo "no trees in build/gpu-trees: run export_trees.sh where the git history is, and carry build/gpu-trees"
    return 1
  fi
  : >"$out/commits.log"
  [[ $TREE_LOG == "$out/build-trees.log" ]] && : >"$TREE_LOG"
  for tree in "${trees[@]}"; do
    name=$(basename "$tree")
    configure_and_build "$tree" "$BUILD-$name" "$out/build-tree.tmp" ttc_cuda
    built=$?
    { echo "# $name: exit $built"; cat "$out/build-tree.tmp"; } >>"$TREE_LOG"
    if ((built == 0)); then libs+=("$BUILD-$name/native/libttc_cuda.so") names+=("$name"); else status=1; fi
  done
  rm -f "$out/build-tree.tmp"
  libs+=("$LIB") names+=("this-tree")
  bench_each "$out/commits.log" "" --case 65536:16:8 --case 1024:64:64 --reps 2 || status=1
  return $status
}

# The trees' build logs: a file of their own, or, in one-call, the end of build.log (7 files of the 8 that come back).
TREE_LOG="$out/build-trees.log"
[[ $stage == one-call ]] && TREE_LOG="$out/build.log"
export ROOT BUILD BENCH LIB CHECK out deadline TREE_LOG
export -f seconds_left configure_and_build build check sanitize bench tilings profile bench_each registers commits

case "$stage" in
  all | tune | one-call | check | sanitize | bench | tilings | profile | registers | commits) ;;
  *) echo "unknown stage '$stage'; $usage" >&2; exit 2 ;;
esac
[[ $stage == all ]] && { nvidia-smi >"$out/nvidia-smi.txt" 2>&1 || true; }
[[ $stage == one-call ]] && { nvidia-smi >"$out/session.log" 2>&1 || true; }
step build build
if ((failed)); then exit 1; fi
case "$stage" in
  all) step check check; step sanitize sanitize; step bench bench ;;
  one-call)
    step check check
    step sanitize sanitize
    if [[ -d $ROOT/build/gpu-trees ]]; then step commits commits; fi
    step bench bench
    ;;
  tune) step tilings tilings; step profile profile ;;
  *) step "$stage" ;;
esac
exit $failed
