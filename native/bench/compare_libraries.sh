#!/usr/bin/env bash
# Compares two builds of libttc.so on the same ttc_bench benchmarks, in the two ways that hold up on a noisy machine
# (docs/BENCHMARKS.md):
#   instructions  callgrind's count of instructions for one iteration of each benchmark, in libttc.so and the libm
#                 exponentials it calls (not the benchmark's own set-up): deterministic, so one run per library is
#                 enough (needs valgrind);
#   alternate     wall time, each benchmark run ROUNDS times alternating between the libraries; prints every run,
#                 then per benchmark the medians, their ratio and how many pairs the second library won.
#
# usage: native/bench/compare_libraries.sh instructions|alternate BENCH LIB_BEFORE LIB_AFTER FILTER [ROUNDS]
#   BENCH       a ttc_bench executable (its own libttc.so is replaced through LD_LIBRARY_PATH)
#   LIB_BEFORE, LIB_AFTER   folders holding a libttc.so each
#   FILTER      a --benchmark_filter regex, e.g. 'Lqr(F32|F64)/symplectic_forward_backward/64/'
#   ROUNDS      alternate only; 6 unless given
# The instruction set follows TTC_CPU_ISA as the library reads it.
set -euo pipefail

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[[ $# -ge 5 ]] || usage
mode=$1 bench=$2 before=$3 after=$4 filter=$5 rounds=${6:-6}
[[ -x $bench ]] || { echo "error: '$bench' is not an executable" >&2; exit 2; }
for lib in "$before" "$after"; do
  [[ -f $lib/libttc.so ]] || { echo "error: no libttc.so in '$lib'" >&2; exit 2; }
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "error: ROUNDS = '$rounds' must be a positive integer" >&2; exit 2; }

mapfile -t names < <("$bench" --benchmark_list_tests --benchmark_filter="$filter")
[[ ${#names[@]} -gt 0 ]] || { echo "error: no benchmark matches '$filter'" >&2; exit 2; }

# One iteration: Google Benchmark stops after the first iteration that outlasts --benchmark_min_time. The count sums
# callgrind's exclusive cost of every function in libttc.so, and of libm's exponentials.
instructions() {
  command -v valgrind > /dev/null || { echo "error: valgrind is not installed" >&2; exit 2; }
  profile=$(mktemp)
  trap 'rm -f "$profile"' EXIT
  printf '%-60s %16s %16s %8s\n' benchmark before after ratio
  for name in "${names[@]}"; do
    local counts=()
    for lib in "$before" "$after"; do
      LD_LIBRARY_PATH=$lib valgrind --tool=callgrind --callgrind-out-file="$profile" "$bench" \
        --benchmark_filter="^$name\$" --benchmark_min_time=0.01 > /dev/null 2>&1
      counts+=("$(callgrind_annotate --threshold=100 "$profile" |
        awk '/libttc\.so\]/ || (/libm\.so/ && /exp/) { gsub(",", "", $1); total += $1 } END { printf "%.0f", total }')")
    done
    awk -v n="$name" -v b="${counts[0]}" -v a="${counts[1]}" \
      'BEGIN { printf "%-60s %16.0f %16.0f %7.3fx\n", n, b, a, b / a }'
  done
}

alternate() {
  runs=$(mktemp)
  trap 'rm -f "$runs"' EXIT
  for name in "${names[@]}"; do
    for ((r = 1; r <= rounds; ++r)); do
      for side in before after; do
        local lib=$before
        [[ $side == after ]] && lib=$after
        LD_LIBRARY_PATH=$lib "$bench" --benchmark_filter="^$name\$" 2> /dev/null |
          awk -v r="$r" -v s="$side" -v n="$name" '$1 == n {print r, s, n, $2, $3}' | tee -a "$runs"
        if [[ -t 2 ]]; then printf '\r%s: round %d/%d %s   ' "$name" "$r" "$rounds" "$side" >&2; fi
      done
    done
    if [[ -t 2 ]]; then printf '\n' >&2; fi
  done
  python3 - "$runs" <<'EOF'
import collections, statistics, sys
runs = collections.defaultdict(lambda: collections.defaultdict(dict))
for line in open(sys.argv[1]):
    r, side, name, time, unit = line.split()
    runs[name][r][side] = float(time)
print(f"{'benchmark':60s} {'before':>9s} {'after':>9s} {'ratio':>7s}  after won")
for name, rounds in runs.items():
    pairs = [(x["before"], x["after"]) for x in rounds.values() if len(x) == 2]
    before = statistics.median(p[0] for p in pairs)
    after = statistics.median(p[1] for p in pairs)
    won = sum(1 for b, a in pairs if a < b)
    print(f"{name:60s} {before:9.1f} {after:9.1f} {before / after:6.2f}x  {won}/{len(pairs)}")
EOF
}

case $mode in
  instructions) instructions ;;
  alternate) alternate ;;
  *) usage ;;
esac
