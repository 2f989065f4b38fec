#!/usr/bin/env bash
# Exports the native sources of earlier commits into build/gpu-trees/<k>-<commit>/, for gpu_session.sh's `commits`
# stage, which builds each one's libttc_cuda.so on the GPU machine and times it beside this tree's. That machine gets
# a copy of the working tree without its git history, so the trees travel as a carried path: name build/gpu-trees in
# the device tool's `carry` (a tree is about 0.6 MB).
#   native/bench/gpu/export_trees.sh COMMIT...     e.g. 58dc109 922bf24 d5ec92a
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
TREES="$ROOT/build/gpu-trees"
(($# > 0)) || { echo "usage: export_trees.sh COMMIT..." >&2; exit 2; }

rm -rf "$TREES"
k=1
for commit in "$@"; do
  short=$(git -C "$ROOT" rev-parse --short=7 --verify "$commit^{commit}")
  dir="$TREES/$k-$short"
  mkdir -p "$dir"
  git -C "$ROOT" archive "$short" CMakeLists.txt cmake native | tar -x -C "$dir"
  echo "$dir"
  k=$((k + 1))
done
