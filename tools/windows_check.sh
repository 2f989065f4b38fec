#!/usr/bin/env bash
# The native library and its tests built for Windows x86-64 with MinGW-w64 and run under Wine: what of the Windows
# build (build.ps1) can be checked on Linux. MSVC itself stays untested here.
#   tools/windows_check.sh [BUILD_DIR]     default build/windows
# Builds GoogleTest from Debian's sources (/usr/src/googletest) for the target once, then libttc.dll and the tests,
# and runs: ttc_internal_tests, ttc_tests on both instruction sets, ttc_bits (both instruction sets give the same
# bits), and ttc_cuda_emulation_check (quick cases). Every program must also exit within its time limit: a process
# that hangs on the way out (a static destructor joining threads at DLL_PROCESS_DETACH) fails the check.
# Needs g++-mingw-w64-x86-64-posix and wine64 (.ci/install.sh installs them). Exit status: 0 when all passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(realpath -m "${1:-$ROOT/build/windows}")"
JOBS="${TTC_JOBS:-$(nproc)}"
CXX_CROSS=x86_64-w64-mingw32-g++-posix

say() { printf '[windows_check] %s\n' "$*"; }
fail() { printf '[windows_check] FAILED: %s\n' "$*" >&2; exit 1; }

for tool in "$CXX_CROSS" wine wineserver; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found: install g++-mingw-w64-x86-64-posix and wine64 (.ci/install.sh)"
done
[[ -f /usr/src/googletest/CMakeLists.txt ]] || fail "/usr/src/googletest not found: install googletest"

# A Wine prefix of our own (not ~/.wine), without the Mono and Gecko installers; the MinGW runtime DLLs on its path.
export WINEPREFIX="$BUILD/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
runtime_dirs=()
for dll in libstdc++-6.dll libgcc_s_seh-1.dll libwinpthread-1.dll; do
  path="$("$CXX_CROSS" -print-file-name="$dll")"
  [[ -f "$path" ]] || fail "the MinGW runtime $dll was not found"
  runtime_dirs+=("$(dirname "$(realpath "$path")")")
done
WINEPATH="$(printf '%s\n' "${runtime_dirs[@]}" "$BUILD/project/native" | sort -u | paste -sd ';')"
export WINEPATH
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

GENERATOR=()
command -v ninja >/dev/null 2>&1 && GENERATOR=(-G Ninja)
toolchain=(-DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/WindowsCrossToolchain.cmake" -DCMAKE_BUILD_TYPE=Release)

if [[ ! -f "$BUILD/gtest/lib/cmake/GTest/GTestConfig.cmake" ]]; then
  say "GoogleTest for Windows from /usr/src/googletest"
  cmake -S /usr/src/googletest -B "$BUILD/gtest-build" "${GENERATOR[@]}" "${toolchain[@]}" -DBUILD_GMOCK=OFF \
    -DCMAKE_INSTALL_PREFIX="$BUILD/gtest" >/dev/null
  cmake --build "$BUILD/gtest-build" --parallel "$JOBS" >/dev/null
  cmake --install "$BUILD/gtest-build" >/dev/null
fi

say "libttc.dll and its tests (MinGW-w64, $("$CXX_CROSS" -dumpfullversion))"
cmake -S "$ROOT" -B "$BUILD/project" "${GENERATOR[@]}" "${toolchain[@]}" -DTTC_WINDOWS_PREFIX="$BUILD/gtest" \
  -DTTC_CUDA=OFF >/dev/null
cmake --build "$BUILD/project" --parallel "$JOBS" \
  --target ttc ttc_internal_tests ttc_tests ttc_bits ttc_cuda_emulation_check

tests="$BUILD/project/native/tests"
run() {  # limit_seconds, program, args...: runs it under Wine; a failure or a hang fails the check
  local limit="$1" status=0
  shift
  timeout "$limit" wine "$@" || status=$?
  [[ $status -eq 124 ]] && fail "$(basename "$1") did not exit within ${limit}s"
  [[ $status -eq 0 ]] || fail "$(basename "$1") exited with status $status"
}

say "ttc_internal_tests"
run 120 "$tests/ttc_internal_tests.exe" --gtest_brief=1
say "ttc_tests (the instruction set the CPU has)"
run 600 "$tests/ttc_tests.exe" --gtest_brief=1
say "ttc_tests (TTC_CPU_ISA=baseline)"
TTC_CPU_ISA=baseline run 600 "$tests/ttc_tests.exe" --gtest_brief=1
say "ttc_bits: the same bits on both instruction sets"
run 120 "$tests/ttc_bits.exe" > "$BUILD/bits-default.txt"
TTC_CPU_ISA=baseline run 120 "$tests/ttc_bits.exe" > "$BUILD/bits-baseline.txt"
tr -d '\r' < "$BUILD/bits-default.txt" | grep -v '^instruction set' > "$BUILD/bits-default.digest"
tr -d '\r' < "$BUILD/bits-baseline.txt" | grep -v '^instruction set' > "$BUILD/bits-baseline.digest"
[[ -s "$BUILD/bits-default.digest" ]] || fail "ttc_bits printed no digest"
cmp -s "$BUILD/bits-default.digest" "$BUILD/bits-baseline.digest" ||
  fail "the instruction sets give different bits: $(paste -sd' ' "$BUILD/bits-default.txt") against $(paste -sd' ' "$BUILD/bits-baseline.txt")"
tr -d '\r' < "$BUILD/bits-default.txt"
say "ttc_cuda_emulation_check (quick cases)"
TTC_CUDA_CHECK_QUICK=1 run 600 "$tests/cuda/ttc_cuda_emulation_check.exe" | tr -d '\r' | grep -E 'PASS|FAIL'
say "all passed"
