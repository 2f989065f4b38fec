#!/usr/bin/env bash
# TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++); Debian 12 has 3.4.30. Where the
# host's libstdc++ is too old, commands that load TorchSharp run inside a minimal Debian 13 chroot that this script
# creates once and caches (see ../shared/ENVIRONMENT.md). Elsewhere they run directly.
#
#   tools/debian13.sh needed        exit 0 when the chroot is needed on this host
#   tools/debian13.sh ensure        create the cached chroot if it is missing
#   tools/debian13.sh run CMD...    run CMD (in the current directory) inside the chroot, or directly when not needed.
#                                   Inside, the repository, the current directory, $HOME and /tmp are the host's.
#   tools/debian13.sh mirror        print the Debian mirror this machine's apt sources name (for chroots, CI)
#   tools/debian13.sh sources SUITES COMPONENTS
#                                   print a deb822 apt source entry for that mirror, e.g. "bookworm" "contrib non-free"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROOT="${TTC_CHROOT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ttcnative/debian13}"
REQUIRED_SYMBOL="GLIBCXX_3.4.32"

host_libstdcxx() {
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}'
}

needed() {
  local lib
  lib="$(host_libstdcxx)"
  [[ -n "$lib" ]] || return 0
  ! grep -qa "$REQUIRED_SYMBOL" "$lib"
}

debian_mirror() {
  local uri=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
    uri="$(awk '/^deb / && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  [[ -n "$uri" ]] || { echo "debian13: no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "$uri"
}

debian_sources() {
  local mirror
  mirror="$(debian_mirror)"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: %s\n' \
    "$mirror" "$1" "$2" /usr/share/keyrings/debian-archive-keyring.gpg
}

ensure() {
  [[ -f "$CHROOT/.ttc-ready-2" ]] && return 0
  mkdir -p "$(dirname "$CHROOT")"
  exec 9>"$CHROOT.lock"
  flock 9
  [[ -f "$CHROOT/.ttc-ready-2" ]] && return 0
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "debian13: installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  echo "debian13: creating the Debian 13 chroot for TorchSharp in $CHROOT (once)" >&2
  rm -rf "$CHROOT"
  debootstrap --variant=minbase --include=libstdc++6,ca-certificates,libicu76,libgomp1,qqwing,fonts-dejavu-core \
    trixie "$CHROOT" "$(debian_mirror)" >"$CHROOT.log" 2>&1 || {
    echo "debian13: debootstrap failed; see $CHROOT.log" >&2
    exit 1
  }
  touch "$CHROOT/.ttc-ready-2"
}

run() {
  if ! needed; then
    exec "$@"
  fi
  ensure
  echo "debian13: this host's libstdc++ lacks $REQUIRED_SYMBOL; running in the Debian 13 chroot" >&2
  local dotnet_root nuget_home cwd
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  nuget_home="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  cwd="$(pwd)"
  mkdir -p "$nuget_home"
  # A private mount namespace: no mount outlives the command.
  exec unshare -m -- bash -euc '
    chroot_dir="$1"; dotnet_root="$2"; nuget_home="$3"; repo="$4"; cwd="$5"; shift 5
    mount --make-rprivate /
    bind() { mkdir -p "$chroot_dir$2"; mount --bind "$1" "$chroot_dir$2"; }
    bind "$dotnet_root" "$dotnet_root"
    bind "$nuget_home" "$nuget_home"
    [[ -d /opt/nuget/packages ]] && bind /opt/nuget/packages /opt/nuget/packages
    bind "$repo" "$repo"
    [[ "$cwd" == "$repo"* ]] || bind "$cwd" "$cwd"
    [[ -d "$HOME" && "$HOME" != / ]] && bind "$HOME" "$HOME"
    bind /tmp /tmp
    [[ -d /usr/share/fonts ]] && bind /usr/share/fonts /usr/share/fonts
    bind /dev /dev
    mount -t proc proc "$chroot_dir/proc"
    exec chroot "$chroot_dir" /usr/bin/env -i PATH="$dotnet_root:/usr/bin:/bin:/usr/games" HOME="$HOME" \
      DOTNET_ROOT="$dotnet_root" NUGET_PACKAGES="$nuget_home" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
      DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 TTC_NATIVE_DIR="${TTC_NATIVE_DIR:-}" TTC_EXPECT_CUDA="${TTC_EXPECT_CUDA:-}" \
      TERM="${TERM:-dumb}" \
      bash -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' bash "$CHROOT" "$dotnet_root" "$nuget_home" "$ROOT" "$cwd" "$@"
}

case "${1:-}" in
  needed) needed ;;
  ensure) if needed; then ensure; fi ;;
  run) shift; run "$@" ;;
  mirror) debian_mirror ;;
  sources) [[ $# -eq 3 ]] || { echo "usage: tools/debian13.sh sources SUITES COMPONENTS" >&2; exit 2; }
    debian_sources "$2" "$3" ;;
  *) echo "usage: tools/debian13.sh needed|ensure|run CMD...|mirror|sources SUITES COMPONENTS" >&2; exit 2 ;;
esac
