#!/usr/bin/env bash
# Regenerates the C# and Python (ctypes) bindings from the C ABI headers through clang's JSON AST:
#   native/include/ttc/ttc.h      -> bindings/TtcNative.Interop/Generated/TtcNative.g.cs      (libttc)
#                                    bindings/python/ttc_native.py
#   native/include/ttc/ttc_cuda.h -> bindings/TtcNative.Interop/Generated/TtcCudaNative.g.cs  (libttc_cuda)
#                                    bindings/python/ttc_cuda_native.py
# With --check, fails (exit 1) when a committed file differs from a fresh generation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CSHARP_DIR="bindings/TtcNative.Interop/Generated"
PYTHON_DIR="bindings/python"
CLANG="${CLANG:-$(command -v clang-14 || command -v clang)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build "$ROOT/bindings/generator" -c Release -v q -nologo >/dev/null
mkdir -p "$work/$CSHARP_DIR" "$work/$PYTHON_DIR"
# header, C# file, Python module, prefix, methods class, constants class, library[, module of the included header]
generate() {
  local header="$1" csharp="$CSHARP_DIR/$2" python="$PYTHON_DIR/$3.py"
  "$CLANG" -Xclang -ast-dump=json -fsyntax-only -fparse-all-comments -x c "$ROOT/$header" > "$work/ast.json"
  dotnet run --no-build --project "$ROOT/bindings/generator" -c Release -- \
    --ast "$work/ast.json" --header "$ROOT/$header" --header-path "$header" --out "$work/$csharp" \
    --prefix "$4" --class "$5" --constants "$6" --library "$7" --python "$work/$python" \
    ${8:+--python-import "$8"} >/dev/null
  generated+=("$csharp" "$python")
}
generated=()
generate native/include/ttc/ttc.h TtcNative.g.cs ttc_native ttc_ TtcNativeMethods TtcConstants ttc
generate native/include/ttc/ttc_cuda.h TtcCudaNative.g.cs ttc_cuda_native ttc_cuda_ TtcCudaNativeMethods \
  TtcCudaConstants ttc_cuda ttc_native

stale=0
for f in "${generated[@]}"; do
  if [[ "${1:-}" == "--check" ]]; then
    if ! diff -u "$ROOT/$f" "$work/$f"; then
      echo "bindings: $f is stale; run bindings/generate.sh and commit the result" >&2
      stale=1
    fi
  else
    mkdir -p "$(dirname "$ROOT/$f")"
    cp "$work/$f" "$ROOT/$f"
    echo "bindings: wrote $f"
  fi
done
[[ "${1:-}" == "--check" && $stale == 0 ]] && echo "bindings: generated files are up to date"
exit $stale
