#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for ./build.sh and ./build.sh test. Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# Installs those of the named apt packages that are missing; $1 says what they are for.
install_missing() {
  local why="$1" missing=() p
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "[install] apt-get install ${missing[*]} ($why)"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "[install] apt packages already present ($why): $*"
  fi
}

install_missing "build and test" cmake ninja-build g++ make libgtest-dev googletest libbenchmark-dev clang-14 \
  libclang-rt-14-dev debootstrap qqwing fonts-dejavu-core python3
# The Windows build of the native library, checked on Linux (tools/windows_check.sh): MinGW-w64 builds, Wine runs.
install_missing "the Windows build under Wine" g++-mingw-w64-x86-64-posix wine wine64

# The CUDA backend compiles in CI (nothing runs it there): nvcc 11.8 from Debian's non-free component, with g++-11
# because nvcc 11.8 rejects g++ 12. The non-free entry uses the mirror this machine's own sources already name.
if [[ -r /etc/os-release ]] && grep -q '^VERSION_CODENAME=bookworm' /etc/os-release; then
  nonfree=/etc/apt/sources.list.d/ttc-nonfree.sources
  if [[ ! -f $nonfree ]]; then
    entry=$("$(dirname "${BASH_SOURCE[0]}")/../tools/debian13.sh" sources "bookworm bookworm-updates" \
      "contrib non-free non-free-firmware")
    printf '%s\n' "$entry" >"$nonfree"
    echo "[install] added Debian contrib/non-free sources (same mirror) for nvidia-cuda-toolkit"
  fi
  install_missing "nvcc for the CUDA backend" nvidia-cuda-toolkit g++-11
  echo "[install] $(nvcc --version | grep -o 'release [0-9.]*' | head -1 | sed 's/^/nvcc /')"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "[install] the .NET SDK (dotnet) is not on PATH; this machine image must provide it" >&2
  exit 1
fi
echo "[install] dotnet $(dotnet --version)"

# PowerShell (a .NET tool from NuGet), so that ./build.sh test also runs build.ps1's pack on this host.
pwsh_dir="$HOME/.cache/ttcnative/pwsh"
if [[ ! -x $pwsh_dir/pwsh ]]; then
  echo "[install] PowerShell 7.6.10 (dotnet tool) -> $pwsh_dir"
  dotnet tool install --tool-path "$pwsh_dir" PowerShell --version 7.6.10 >/dev/null ||
    echo "[install] PowerShell could not be installed: ./build.sh test will say that build.ps1 pack went unchecked"
fi
if [[ -x $pwsh_dir/pwsh ]]; then
  echo "[install] $("$pwsh_dir/pwsh" -NoProfile -Command '"PowerShell " + $PSVersionTable.PSVersion')"
fi

# TorchSharp needs a newer libstdc++ than Debian 12 has: create the cached Debian 13 chroot now (a no-op elsewhere).
"$(dirname "${BASH_SOURCE[0]}")/../tools/debian13.sh" ensure
echo "[install] Debian 13 chroot for TorchSharp: $("$(dirname "${BASH_SOURCE[0]}")/../tools/debian13.sh" needed && echo needed and ready || echo not needed)"
