# TtcNative build entry point (Windows). Mirrors build.sh; see README.md.
#   ./build.ps1            build the native library (Release) into artifacts/runtimes/win-x64/native/, then .NET
#   ./build.ps1 test       build, then run the native and .NET tests (sanitizers run on Linux only)
#   ./build.ps1 clean      remove build/ and artifacts/
param([string]$Command = "build")
$ErrorActionPreference = "Stop"
$Root = $PSScriptRoot
$RuntimeDir = Join-Path $Root "artifacts/runtimes/win-x64/native"

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
    Invoke-Checked dotnet @("build", "$Root/TtcNative.sln", "-c", "Release", "--nologo", "-v", "quiet")
}

# True when CMake found nvcc: ttc_cuda.dll was built, and its binding tests must run rather than skip.
function Test-CudaBuilt {
    $Cache = "$Root/build/release/CMakeCache.txt"
    return (Test-Path $Cache) -and (Select-String -Path $Cache -Pattern '^CMAKE_CUDA_COMPILER:FILEPATH=.+' -Quiet)
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
    "clean" { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue "$Root/build", "$Root/artifacts" }
    # Not Write-Error: with $ErrorActionPreference = "Stop" it would throw, and the script would exit with 1.
    default { [Console]::Error.WriteLine("usage: ./build.ps1 [build|test|clean]"); exit 2 }
}
