#!/usr/bin/env bash
# Regenerates the C# bindings from the C ABI headers through clang's JSON AST:
#   native/include/ttc/ttc.h      -> bindings/TtcNative.Interop/Generated/TtcNative.g.cs      (libttc)
#   native/include/ttc/ttc_cuda.h -> bindings/TtcNative.Interop/Generated/TtcCudaNative.g.cs  (libttc_cuda)
# With --check, fails (exit 1) when a committed file differs from a fresh generation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/bindings/TtcNative.Interop/Generated"
CLANG="${CLANG:-$(command -v clang-14 || command -v clang)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build "$ROOT/bindings/generator" -c Release -v q -nologo >/dev/null
generate() {  # header, output file, prefix, methods class, constants class, library
  local header="$1" out="$2"
  "$CLANG" -Xclang -ast-dump=json -fsyntax-only -fparse-all-comments -x c "$ROOT/$header" > "$work/ast.json"
  dotnet run --no-build --project "$ROOT/bindings/generator" -c Release -- \
    --ast "$work/ast.json" --header "$ROOT/$header" --header-path "$header" --out "$work/$out" \
    --prefix "$3" --class "$4" --constants "$5" --library "$6" >/dev/null
}
generate native/include/ttc/ttc.h TtcNative.g.cs ttc_ TtcNativeMethods TtcConstants ttc
generate native/include/ttc/ttc_cuda.h TtcCudaNative.g.cs ttc_cuda_ TtcCudaNativeMethods TtcCudaConstants ttc_cuda

stale=0
for f in TtcNative.g.cs TtcCudaNative.g.cs; do
  if [[ "${1:-}" == "--check" ]]; then
    if ! diff -u "$OUT_DIR/$f" "$work/$f"; then
      echo "bindings: $OUT_DIR/$f is stale; run bindings/generate.sh and commit the result" >&2
      stale=1
    fi
  else
    mkdir -p "$OUT_DIR"
    cp "$work/$f" "$OUT_DIR/$f"
    echo "bindings: wrote ${OUT_DIR#"$ROOT"/}/$f"
  fi
done
[[ "${1:-}" == "--check" && $stale == 0 ]] && echo "bindings: generated files are up to date"
exit $stale
