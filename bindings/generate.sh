#!/usr/bin/env bash
# Regenerates bindings/TtcNative.Interop/Generated/TtcNative.g.cs from native/include/ttc/ttc.h through clang's JSON
# AST. With --check, fails (exit 1) when the committed file differs from a fresh generation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HEADER="native/include/ttc/ttc.h"
TARGET="$ROOT/bindings/TtcNative.Interop/Generated/TtcNative.g.cs"
CLANG="${CLANG:-$(command -v clang-14 || command -v clang)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$CLANG" -Xclang -ast-dump=json -fsyntax-only -fparse-all-comments -x c "$ROOT/$HEADER" > "$work/ast.json"
dotnet run --project "$ROOT/bindings/generator" -c Release -- \
  --ast "$work/ast.json" --header "$ROOT/$HEADER" --header-path "$HEADER" --out "$work/TtcNative.g.cs" >/dev/null

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$TARGET" "$work/TtcNative.g.cs"; then
    echo "bindings: $TARGET is stale; run bindings/generate.sh and commit the result" >&2
    exit 1
  fi
  echo "bindings: generated file is up to date"
else
  mkdir -p "$(dirname "$TARGET")"
  cp "$work/TtcNative.g.cs" "$TARGET"
  echo "bindings: wrote ${TARGET#"$ROOT"/}"
fi
