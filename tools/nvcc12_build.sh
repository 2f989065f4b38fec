#!/usr/bin/env bash
# Compiles the native library, libttc_cuda.so and ttc_cuda_check with Debian 13's nvcc 12.4 (with gcc-13 and g++-13),
# for sm_80, sm_90a and sm_90 + PTX, inside a cached Debian 13 chroot. CI compiles with nvcc 11.8 and the GPU machines
# have nvcc 13; on a machine with neither a GPU nor NVIDIA's own packages, this is the newest nvcc to be had. It builds
# the working tree as it is, runs nothing on a GPU, and fails on any compiler warning.
# Creating the chroot takes about 2 minutes and 5 GB, once; the build about 4 minutes on 2 cores.
#   tools/nvcc12_build.sh [BUILD_DIR]     BUILD_DIR defaults to /tmp/ttc-nvcc12
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROOT="${TTC_NVCC12_CHROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/ttcnative/debian13-nvcc12}"
BUILD="${1:-/tmp/ttc-nvcc12}"
mkdir -p "$BUILD"
BUILD="$(cd "$BUILD" && pwd)"  # absolute: it is bind-mounted at the same path
PACKAGES="nvidia-cuda-toolkit g++-13 cmake ninja-build"

ensure_chroot() {
  [[ -f "$CHROOT/.ttc-ready" ]] && return 0
  command -v debootstrap >/dev/null || { echo "nvcc12: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
  local mirror
  mirror="$("$ROOT/tools/debian13.sh" mirror)"
  echo "nvcc12: creating the Debian 13 chroot with nvcc 12.4 in $CHROOT (once; log in $CHROOT.log)" >&2
  rm -rf "$CHROOT"
  mkdir -p "$CHROOT"
  {
    debootstrap --variant=minbase --include=ca-certificates trixie "$CHROOT" "$mirror" &&
      rm -f "$CHROOT/etc/apt/sources.list" &&
      "$ROOT/tools/debian13.sh" sources "trixie trixie-updates" "main contrib non-free" \
        >"$CHROOT/etc/apt/sources.list.d/debian.sources" &&
      chroot "$CHROOT" /usr/bin/env -i PATH=/usr/bin:/bin DEBIAN_FRONTEND=noninteractive \
        bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $PACKAGES"
  } >"$CHROOT.log" 2>&1 || { echo "nvcc12: creating the chroot failed; see $CHROOT.log" >&2; exit 1; }
  touch "$CHROOT/.ttc-ready"
}

ensure_chroot
log="$BUILD/nvcc12-build.log"
# A private mount namespace: the repository (read-only) and the build folder at their own paths; no mount outlives it.
unshare -m -- bash -euc '
  chroot_dir="$1"; repo="$2"; build="$3"
  mount --make-rprivate /
  for dir in "$repo" "$build"; do mkdir -p "$chroot_dir$dir"; mount --bind "$dir" "$chroot_dir$dir"; done
  mount -o remount,bind,ro "$chroot_dir$repo"
  mount -t proc proc "$chroot_dir/proc"
  exec chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root bash -euc "
    nvcc --version | grep release
    cmake -S \"\$0\" -B \"\$1\" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTTC_BUILD_TESTS=OFF -DTTC_CUDA=ON \
      -DCMAKE_C_COMPILER=gcc-13 -DCMAKE_CXX_COMPILER=g++-13 -DCMAKE_CUDA_HOST_COMPILER=g++-13 \"-DCMAKE_CUDA_ARCHITECTURES=80-real;90a-real;90\"
    ninja -C \"\$1\" -t clean >/dev/null
    ninja -C \"\$1\"
  " "$repo" "$build"
' bash "$CHROOT" "$ROOT" "$BUILD" >"$log" 2>&1 || { tail -40 "$log"; echo "nvcc12: the build failed; see $log" >&2; exit 1; }

if grep -qi 'warning' "$log"; then
  grep -i -A4 'warning' "$log" | head -60
  echo "nvcc12: the build has warnings; see $log" >&2
  exit 1
fi
grep -m1 'release' "$log"
grep 'CUDA backend with' "$log" | sed 's/^-- //'
echo "nvcc12: libttc_cuda.so and ttc_cuda_check built without warnings in $BUILD"
