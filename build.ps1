# TtcNative build entry point (Windows). Mirrors build.sh; see README.md.
#   ./build.ps1            build the native library (Release) into artifacts/runtimes/<rid>/native/ (win-x64), then .NET
#   ./build.ps1 test       build, then run the native and .NET tests (sanitizers run on Linux only)
#   ./build.ps1 pack       the native library, then NuGet packages into artifacts/packages (as ./build.sh pack)
#   ./build.ps1 clean      remove build/ and artifacts/
param([string]$Command = "build")
$ErrorActionPreference = "Stop"
$Root = $PSScriptRoot
# win-x64 on Windows (PowerShell 5.1 has no $IsWindows); elsewhere pwsh builds the host's runtime (the README's check).
$OnWindows = $env:OS -eq "Windows_NT"
$Rid = if ($OnWindows) { "win-x64" } elseif ($IsMacOS) { "osx-x64" } else { "linux-x64" }
$RuntimeDir = Join-Path $Root "artifacts/runtimes/$Rid/native"

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Build-Native {
    Write-Host "[build.ps1] native library (Release) -> $RuntimeDir"
    Invoke-Checked cmake @("-S", $Root, "-B", "$Root/build/release", "-DTTC_RUNTIME_DIR=$RuntimeDir")
    Invoke-Checked cmake @("--build", "$Root/build/release", "--config", "Release", "--parallel")
}

function Build-Dotnet {
    Write-Host "[build.ps1] .NET solution (Release)"
    $Output = & dotnet build "$Root/TtcNative.sln" -c Release --nologo -v quiet 2>&1
    $Code = $LASTEXITCODE
    $Output | ForEach-Object { Write-Host $_ }
    if ($Code -ne 0) { throw "dotnet build failed with exit code $Code" }
    # A compiler warning fails the build, as in build.sh (NuGet's warnings, which depend on the package source, do not).
    if ($Output | Select-String -Pattern ': warning CS' -Quiet) { throw "the C# compiler warned (above): fix the warnings" }
}

# True when CMake found nvcc: ttc_cuda.dll was built, and its binding tests must run rather than skip.
function Test-CudaBuilt {
    $Cache = "$Root/build/release/CMakeCache.txt"
    return (Test-Path $Cache) -and (Select-String -Path $Cache -Pattern '^CMAKE_CUDA_COMPILER:FILEPATH=.+' -Quiet)
}

# NuGet packages into artifacts/packages, as ./build.sh pack: TtcNative.Interop, TtcNative, and the native runtime
# packages of this RID (TtcNative.runtime.<rid>, and .cuda when the CUDA library was built). The version is
# CMakeLists.txt's project() version.
function Invoke-Pack {
    $Version = (Select-String -Path "$Root/CMakeLists.txt" -Pattern '^project\(TtcNative VERSION ([0-9.]+)').Matches[0].Groups[1].Value
    $Out = Join-Path $Root "artifacts/packages"
    Write-Host "[build.ps1] NuGet packages $Version -> $Out"
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $Out
    foreach ($Project in @("bindings/TtcNative.Interop/TtcNative.Interop.csproj", "src/TtcNative/TtcNative.csproj")) {
        Invoke-Checked dotnet @("pack", "$Root/$Project", "-c", "Release", "-p:Version=$Version", "-o", $Out, "--nologo", "-v", "quiet")
    }
    $Flavours = @("cpu")
    $CudaFile = if ($OnWindows) { "ttc_cuda.dll" } elseif ($IsMacOS) { "libttc_cuda.dylib" } else { "libttc_cuda.so" }
    if (Test-Path (Join-Path $RuntimeDir $CudaFile)) { $Flavours += "cuda" }
    foreach ($Flavour in $Flavours) {
        Invoke-Checked dotnet @("pack", "$Root/src/TtcNative.Runtime/TtcNative.Runtime.csproj", "-c", "Release",
            "-p:Version=$Version", "-p:TtcRid=$Rid", "-p:TtcFlavour=$Flavour", "-o", $Out, "--nologo", "-v", "quiet")
    }
}

switch ($Command) {
    "build" { Build-Native; Build-Dotnet }
    "test" {
        Build-Native; Build-Dotnet
        # ttc_cuda_check (label gpu) needs a GPU: run it there with ctest -L gpu (docs/CUDA.md).
        Invoke-Checked ctest @("--test-dir", "$Root/build/release", "-C", "Release", "--output-on-failure", "-LE", "gpu")
        if (Test-CudaBuilt) { $env:TTC_EXPECT_CUDA = "1" }
        Invoke-Checked dotnet @("test", "$Root/TtcNative.sln", "-c", "Release", "--no-build", "--nologo")
    }
    "pack" { Build-Native; Invoke-Pack }
    "clean" { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue "$Root/build", "$Root/artifacts" }
    # Not Write-Error: with $ErrorActionPreference = "Stop" it would throw, and the script would exit with 1.
    default { [Console]::Error.WriteLine("usage: ./build.ps1 [build|test|pack|clean]"); exit 2 }
}
