#!/usr/bin/env bash
# The NuGet packages of `./build.sh pack` (artifacts/packages) as a user gets them: what each one holds, then a program
# (tests/PackageConsumer) restored from those packages alone, copied out of the repository so that the native library
# can only come from the runtime package, and run (in the Debian 13 chroot where TorchSharp needs it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES="$ROOT/artifacts/packages"
VERSION="$(sed -n 's/^project(TtcNative VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")"
RID=linux-x64

say() { printf '[pack_check] %s\n' "$*"; }

# package id, then the entries it must hold (the nuspec's dependencies as "dependency:ID")
expect() {
  local id="$1"
  shift
  python3 - "$PACKAGES/$id.$VERSION.nupkg" "$id" "$@" <<'PY'
import re, sys, zipfile
path, package, *wanted = sys.argv[1:]
with zipfile.ZipFile(path) as z:
    names = set(z.namelist())
    nuspec = z.read(f"{package}.nuspec").decode()
depends = set(re.findall(r'<dependency id="([^"]+)"', nuspec))
missing = [w for w in wanted if (w[len("dependency:"):] not in depends if w.startswith("dependency:") else w not in names)]
if missing:
    sys.exit(f"{package}: missing {', '.join(missing)}")
print(f"{package}: {len(names)} entries, depends on {', '.join(sorted(depends)) or 'nothing'}")
PY
}

say "package contents (version $VERSION)"
expect TtcNative.Interop lib/net10.0/TtcNative.Interop.dll lib/net10.0/TtcNative.Interop.xml
expect TtcNative lib/net10.0/TtcNative.dll lib/net10.0/TtcNative.xml dependency:TtcNative.Interop dependency:TorchSharp
expect "TtcNative.runtime.$RID" "runtimes/$RID/native/libttc.so"
if [[ -f "$ROOT/artifacts/runtimes/$RID/native/libttc_cuda.so" ]]; then
  expect "TtcNative.runtime.$RID.cuda" "runtimes/$RID/native/libttc_cuda.so"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$ROOT/tests/PackageConsumer/PackageConsumer.csproj" "$ROOT/tests/PackageConsumer/Program.cs" "$work/"
# Only the local packages are a source; TorchSharp and libtorch come from the packages the solution already restored,
# and ours go to a folder of their own, so that a repacked version is never read from a stale cache.
cat >"$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="ttcnative" value="$PACKAGES" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="restored" value="${NUGET_PACKAGES:-$HOME/.nuget/packages}" />
  </fallbackPackageFolders>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
</configuration>
XML
say "a program restored from artifacts/packages alone"
dotnet build "$work/PackageConsumer.csproj" -c Release -p:TtcVersion="$VERSION" --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }
(cd "$work" && env -u TTC_NATIVE_DIR "$ROOT/tools/debian13.sh" run dotnet "$work/bin/PackageConsumer.dll")
say "passed"
