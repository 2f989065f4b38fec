#!/usr/bin/env bash
# TtcNative build entry point (Linux). See README.md.
#   ./build.sh            build the native library (Release) into artifacts/runtimes/<rid>/native/, then the .NET solution
#   ./build.sh test       build, then run every test: native (Release), native under ASan+UBSan, the CUDA kernels'
#                         team code under ThreadSanitizer, libFuzzer, the native library and tests built for Windows
#                         (MinGW-w64) and run under Wine, .NET, and the NuGet packages (pack-check)
#   ./build.sh native-test | sanitize | race | fuzz | windows | dotnet-test   one part of `test`
#   ./build.sh bindings   regenerate the C# and Python bindings (bindings/generate.sh) from ttc.h and ttc_cuda.h
#   ./build.sh pack       NuGet packages into artifacts/packages (managed, and the native runtime per flavour)
#   ./build.sh pack-check pack, then build and run a program against those packages alone (tools/pack_check.sh)
#   ./build.sh bench      build and run the native benchmarks (Google Benchmark)
#   ./build.sh bench-dotnet [options]   build, then run the C# benchmarks (BenchmarkDotNet, in the Debian 13 chroot):
#                         the native solvers through TorchSharp against a pure-TorchSharp Riccati, and the FMA peak
#   ./build.sh clean      remove build/ and artifacts/
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RID="linux-x64"
RUNTIME_DIR="$ROOT/artifacts/runtimes/$RID/native"
JOBS="${TTC_JOBS:-$(nproc)}"
GENERATOR=()
command -v ninja >/dev/null 2>&1 && GENERATOR=(-G Ninja)

say() { printf '[build.sh] %s\n' "$*"; }

configure_and_build() {  # dir, extra cmake args...
  local dir="$1"
  shift
  cmake -S "$ROOT" -B "$dir" "${GENERATOR[@]}" "$@" >/dev/null
  cmake --build "$dir" --parallel "$JOBS"
}

native_build() {
  say "native library (Release) -> ${RUNTIME_DIR#"$ROOT"/}"
  configure_and_build "$ROOT/build/release" -DCMAKE_BUILD_TYPE=Release -DTTC_RUNTIME_DIR="$RUNTIME_DIR" \
    -DTTC_BUILD_BENCH="${TTC_BUILD_BENCH:-OFF}"
}

dotnet_build() {
  say ".NET solution (Release)"
  local log warned=0
  log="$(mktemp)"
  dotnet build "$ROOT/TtcNative.sln" -c Release --nologo -v quiet | tee "$log"
  # A compiler warning fails the build (NuGet's warnings, which depend on the package source, do not).
  grep -q ': warning CS' "$log" && warned=1
  rm -f "$log"
  if [ "$warned" = 1 ]; then say "the C# compiler warned (above): fix the warnings"; exit 1; fi
}

native_test() {
  say "native tests (Release)"
  # ttc_cuda_check (label gpu) needs a GPU: run it there with ctest -L gpu (docs/BENCHMARKS.md).
  ctest --test-dir "$ROOT/build/release" --output-on-failure -j "$JOBS" -LE gpu
}

sanitize() {
  say "native tests under ASan + UBSan (-fno-sanitize-recover=all, detect_leaks=1)"
  configure_and_build "$ROOT/build/sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTTC_SANITIZE=ON -DTTC_CUDA=OFF
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    ctest --test-dir "$ROOT/build/sanitize" --output-on-failure -j "$JOBS"
}

race() {
  # The CUDA kernels' team code (a warp or block per problem) run by teams of host threads, under ThreadSanitizer:
  # a missing sync or a rank writing another rank's output is a data race here (docs/CUDA.md). Then the CPU library's
  # own threads, where a token's heads summed by two threads would race.
  say "CUDA kernels' team code under ThreadSanitizer (ttc_cuda_emulation_check, quick cases)"
  cmake -S "$ROOT" -B "$ROOT/build/tsan" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTTC_TSAN=ON \
    -DTTC_CUDA=OFF >/dev/null
  cmake --build "$ROOT/build/tsan" --parallel "$JOBS" --target ttc_cuda_emulation_check
  # Without address-space randomisation: some kernels' mmap entropy is more than this ThreadSanitizer can map.
  TTC_CUDA_CHECK_QUICK=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" setarch "$(uname -m)" -R \
    "$ROOT/build/tsan/native/tests/cuda/ttc_cuda_emulation_check" | grep -E '^\(|launch policy|per problem|PASS|FAIL'
  # The CPU library's worker threads: problems solved in lanes, gradients summed over a token's heads by one thread.
  say "CPU batch lanes and determinism tests under ThreadSanitizer"
  cmake --build "$ROOT/build/tsan" --parallel "$JOBS" --target ttc_tests
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" setarch "$(uname -m)" -R \
    "$ROOT/build/tsan/native/tests/ttc_tests" --gtest_filter='BatchLanes*:Determinism*' --gtest_brief=1
}

fuzz() {
  # libFuzzer (Clang) over every ABI entry point and the CUDA path's host emulation (DESIGN.md §8); a fixed seed and
  # run count, so a run is repeatable. TTC_FUZZ_RUNS raises the count; a finding is written to build/fuzz/findings/.
  say "libFuzzer: ttc_fuzz_abi (${TTC_FUZZ_RUNS:-12000} runs, seed 1)"
  CC=clang-14 CXX=clang++-14 configure_and_build "$ROOT/build/fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTTC_FUZZ=ON \
    -DTTC_BUILD_TESTS=OFF -DTTC_CUDA=OFF
  mkdir -p "$ROOT/build/fuzz/findings"
  "$ROOT/build/fuzz/native/tests/fuzz/ttc_fuzz_abi" -runs="${TTC_FUZZ_RUNS:-12000}" -seed=1 -print_final_stats=1 \
    -artifact_prefix="$ROOT/build/fuzz/findings/" 2>&1 | grep -v -e '^#' -e 'NEW_FUNC' -e '^INFO' -e '^"'
}

windows() {
  # What of build.ps1's Windows build can be checked on Linux: ttc.dll and the native tests, with MinGW-w64 for
  # MSVC, run under Wine on both instruction sets, each program within a time limit (tools/windows_check.sh).
  say "native library and tests for Windows (MinGW-w64), run under Wine"
  "$ROOT/tools/windows_check.sh" "$ROOT/build/windows"
}

bindings_check() {
  say "generated bindings are current (bindings/generate.sh --check)"
  "$ROOT/bindings/generate.sh" --check
}

dotnet_test() {
  say ".NET tests (TorchSharp tests run in the Debian 13 chroot where the host's libstdc++ is too old)"
  # When the native build found nvcc, libttc_cuda.so must exist and its binding tests must run (not skip).
  if [[ -f "$RUNTIME_DIR/libttc_cuda.so" ]] || grep -q '^CMAKE_CUDA_COMPILER:FILEPATH=/' "$ROOT/build/release/CMakeCache.txt" 2>/dev/null; then
    export TTC_EXPECT_CUDA=1
  fi
  "$ROOT/tools/debian13.sh" run dotnet test "$ROOT/TtcNative.sln" -c Release --no-build --nologo
}

pack() {
  local version out="$ROOT/artifacts/packages" project
  version="$(sed -n 's/^project(TtcNative VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")"
  say "NuGet packages $version -> ${out#"$ROOT"/} (TtcNative.Interop, TtcNative, the native runtime of $RID)"
  rm -rf "$out"
  for project in bindings/TtcNative.Interop/TtcNative.Interop.csproj src/TtcNative/TtcNative.csproj; do
    dotnet pack "$ROOT/$project" -c Release -p:Version="$version" -o "$out" --nologo -v quiet
  done
  local flavours=(cpu) flavour
  [[ -f "$RUNTIME_DIR/libttc_cuda.so" ]] && flavours+=(cuda)
  for flavour in "${flavours[@]}"; do
    dotnet pack "$ROOT/src/TtcNative.Runtime/TtcNative.Runtime.csproj" -c Release -p:Version="$version" -p:TtcRid="$RID" \
      -p:TtcFlavour="$flavour" -o "$out" --nologo -v quiet
  done
}

pack_check() {
  pack
  say "the packages as a user gets them (tools/pack_check.sh)"
  "$ROOT/tools/pack_check.sh"
  # build.ps1 packs the same way for Windows; where PowerShell is here (.ci/install.sh puts it in the cache), its pack
  # runs for this host's RID and its packages pass the same check.
  local pwsh="$HOME/.cache/ttcnative/pwsh/pwsh"
  command -v pwsh >/dev/null 2>&1 && pwsh="$(command -v pwsh)"
  if [[ -x $pwsh ]]; then
    say "build.ps1 pack (PowerShell), then the same check of its packages"
    "$pwsh" -NoProfile -File "$ROOT/build.ps1" pack | grep -v -e '^--' -e '^\[[0-9]*/[0-9]*\]' -e '^ninja'
    "$ROOT/tools/pack_check.sh"
  else
    say "build.ps1 pack not checked: no PowerShell here (.ci/install.sh installs it)"
  fi
}

bench() {
  TTC_BUILD_BENCH=ON native_build
  "$ROOT/build/release/native/bench/ttc_bench" "$@"
}

bench_dotnet() {
  native_build
  dotnet_build
  say "C# benchmarks (BenchmarkDotNet) -> build/bench-dotnet/results"
  cd "$ROOT"
  "$ROOT/tools/debian13.sh" run dotnet "$ROOT/src/TtcNative.Benchmarks/bin/Release/net10.0/TtcNative.Benchmarks.dll" "$@"
}

case "${1:-build}" in
  build) native_build; dotnet_build ;;
  test) native_build; dotnet_build; bindings_check; native_test; sanitize; race; fuzz; windows; dotnet_test; pack_check ;;
  native-test) native_build; native_test ;;
  sanitize) sanitize ;;
  race) race ;;
  fuzz) fuzz ;;
  windows) windows ;;
  dotnet-test) dotnet_build; dotnet_test ;;
  bindings) "$ROOT/bindings/generate.sh" ;;
  pack) native_build; pack ;;
  pack-check) native_build; pack_check ;;
  bench) shift; bench "$@" ;;
  bench-dotnet) shift; bench_dotnet "$@" ;;
  clean) rm -rf "$ROOT/build" "$ROOT/artifacts" ;;
  *) echo "usage: ./build.sh [build|test|native-test|sanitize|race|fuzz|windows|dotnet-test|bindings|pack|pack-check|bench|bench-dotnet|clean]" >&2; exit 2 ;;
esac
