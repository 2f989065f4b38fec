#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for ./build.sh and ./build.sh test. Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(cmake ninja-build g++ make libgtest-dev googletest libbenchmark-dev clang-14 libclang-rt-14-dev debootstrap qqwing fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[install] apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "[install] apt packages already present: ${packages[*]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "[install] the .NET SDK (dotnet) is not on PATH; this machine image must provide it" >&2
  exit 1
fi
echo "[install] dotnet $(dotnet --version)"

# TorchSharp needs a newer libstdc++ than Debian 12 has: create the cached Debian 13 chroot now (a no-op elsewhere).
"$(dirname "${BASH_SOURCE[0]}")/../tools/debian13.sh" ensure
echo "[install] Debian 13 chroot for TorchSharp: $("$(dirname "${BASH_SOURCE[0]}")/../tools/debian13.sh" needed && echo needed and ready || echo not needed)"
