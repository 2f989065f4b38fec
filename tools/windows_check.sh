#!/usr/bin/env bash
# The native library and its tests built for Windows x86-64 with MinGW-w64 and run under Wine: what of the Windows
# build (build.ps1) can be checked on Linux. MSVC itself stays untested here.
#   tools/windows_check.sh [BUILD_DIR]     default build/windows
# Builds GoogleTest from Debian's sources (/usr/src/googletest) for the target once. Then builds ttc.dll and the
# tests as build.ps1 does: a multi-configuration generator (Ninja Multi-Config, laid out as Visual Studio's), Release,
# the library into a runtime folder of its own (TTC_RUNTIME_DIR). ttc.dll must land in that folder itself, where the
# .NET resolver looks, and each test program must find it beside itself: Wine's path holds only the MinGW runtime,
# as a Windows machine's holds the C++ runtime. Runs ttc_internal_tests, ttc_tests on both instruction sets, ttc_bits
# (both instruction sets agree within tolerance) and ttc_cuda_emulation_check (quick cases). Every program must also exit
# within its time limit: a process that hangs on the way out (a static destructor joining threads at
# DLL_PROCESS_DETACH) fails the check.
# Needs g++-mingw-w64-x86-64-posix and wine64 (.ci/install.sh installs them). Exit status: 0 when all passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(realpath -m "${1:-$ROOT/build/windows}")"
JOBS="${TTC_JOBS:-$(nproc)}"
CXX_CROSS=x86_64-w64-mingw32-g++-posix

say() { printf '[windows_check] %s\n' "$*"; }
fail() { printf '[windows_check] FAILED: %s\n' "$*" >&2; exit 1; }

for tool in "$CXX_CROSS" wine wineserver ninja; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool not found: install g++-mingw-w64-x86-64-posix, wine, wine64 and ninja-build (.ci/install.sh)"
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
WINEPATH="$(printf '%s\n' "${runtime_dirs[@]}" | sort -u | paste -sd ';')"
export WINEPATH
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

toolchain=(-DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/WindowsCrossToolchain.cmake")

if [[ ! -f "$BUILD/gtest/lib/cmake/GTest/GTestConfig.cmake" ]]; then
  say "GoogleTest for Windows from /usr/src/googletest"
  cmake -S /usr/src/googletest -B "$BUILD/gtest-build" -G Ninja "${toolchain[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_GMOCK=OFF -DCMAKE_INSTALL_PREFIX="$BUILD/gtest" >/dev/null
  cmake --build "$BUILD/gtest-build" --parallel "$JOBS" >/dev/null
  cmake --install "$BUILD/gtest-build" >/dev/null
fi

say "ttc.dll and its tests (MinGW-w64 $("$CXX_CROSS" -dumpversion), Ninja Multi-Config, Release)"
rm -rf "$BUILD/runtime"  # so that the check below sees this build's output
cmake -S "$ROOT" -B "$BUILD/project" -G "Ninja Multi-Config" "${toolchain[@]}" -DTTC_WINDOWS_PREFIX="$BUILD/gtest" \
  -DTTC_RUNTIME_DIR="$BUILD/runtime" -DTTC_CUDA=OFF >/dev/null
cmake --build "$BUILD/project" --config Release --parallel "$JOBS" \
  --target ttc ttc_internal_tests ttc_tests ttc_bits ttc_cuda_emulation_check
[[ -f "$BUILD/runtime/ttc.dll" ]] ||
  fail "ttc.dll is not in the runtime folder itself: $(find "$BUILD/runtime" -name '*.dll' | paste -sd' ')"

# One wineserver for the runs below (the build's test discovery has set up the prefix). By default it exits a few
# seconds after its last program, and a program started just then can lose it ("wine client error:0: recvmsg:
# Connection reset by peer", which failed one CI run).
wineserver -p
tests="$BUILD/project/native/tests/Release"
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
say "ttc_bits: both instruction sets agree within DESIGN §0's tolerances"
run 120 "$tests/ttc_bits.exe" --values "$BUILD/values-default.txt" > "$BUILD/bits-default.txt"
TTC_CPU_ISA=baseline run 120 "$tests/ttc_bits.exe" --values "$BUILD/values-baseline.txt" > "$BUILD/bits-baseline.txt"
tr -d '\r' < "$BUILD/bits-default.txt"
if grep -q '^instruction set: avx2' <(tr -d '\r' < "$BUILD/bits-default.txt"); then
  python3 "$ROOT/native/tests/isas_agree.py" --files "$BUILD/values-default.txt" "$BUILD/values-baseline.txt" ||
    fail "the instruction sets disagree beyond DESIGN §0's tolerances"
else
  echo "this CPU has no AVX2 with FMA under Wine: only the baseline solvers ran"
fi
say "ttc_cuda_emulation_check (quick cases)"
emulation="$BUILD/project/native/tests/cuda/Release/ttc_cuda_emulation_check.exe"
TTC_CUDA_CHECK_QUICK=1 run 600 "$emulation" | tr -d '\r' | grep -E 'PASS|FAIL'
say "all passed"
