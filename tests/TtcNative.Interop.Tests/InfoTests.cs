using TtcNative.Cli;
using Xunit;

namespace TtcNative.Interop.Tests;

public class InfoTests
{
    [Fact]
    public void InfoPrintsVersionAbiBackendsIsaAndThreads()
    {
        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(["info"], output, new StringWriter()));
        var text = output.ToString();
        Assert.Contains($"TtcNative {TtcLibrary.Version}", text);
        Assert.Contains($"ABI        {TtcConstants.TTC_ABI_VERSION}", text);
        Assert.Contains("libttc.so", text);
        Assert.Contains("cuda", text);
        Assert.Contains($"cpu isa    {TtcLibrary.CpuInstructionSet}", text);
        Assert.Contains($"threads    {TtcLibrary.ThreadCount}", text);
    }

    [Fact]
    public void InfoSaysWhetherTheCudaBackendSeesADeviceOrWhyNot()
    {
        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(["info"], output, new StringWriter()));
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (NativeLibraryResolver.Locate("ttc_cuda") == null)
        {
            Assert.NotEqual("1", Environment.GetEnvironmentVariable("TTC_EXPECT_CUDA"));
            // Built without nvcc: no CUDA library, so nothing to ask.
            Assert.Contains(lines, l => l.StartsWith("cuda       not built"));
            Assert.DoesNotContain(lines, l => l.StartsWith("gpu"));
            return;
        }
        Assert.Contains(lines, l => l.StartsWith("cuda       ") && l.Contains("libttc_cuda"));
        var gpu = Assert.Single(lines, l => l.StartsWith("gpu        "));
        if (TtcCuda.IsAvailable(out var count, out var reason))
        {
            Assert.True(count > 0);
            Assert.Equal($"gpu        {count} CUDA device{(count == 1 ? "" : "s")}", gpu);
        }
        else
        {
            Assert.Equal(0, count);
            Assert.StartsWith("no usable CUDA device: ", reason);
            // cudart says "driver version is insufficient" when there is no driver at all: the reason says both.
            if (reason.Contains("cudaErrorInsufficientDriver"))
                Assert.Matches(@"no NVIDIA driver is loaded, or it is older than the CUDA \d+\.\d+ runtime", reason);
            Assert.Equal($"gpu        none: {reason}", gpu);
        }
    }

    [Fact]
    public void CpuInstructionSetIsOneTheLibraryBuilds()
    {
        var expected = Environment.GetEnvironmentVariable("TTC_CPU_ISA") == "baseline" ? "baseline" : null;
        Assert.Contains(TtcLibrary.CpuInstructionSet, new[] { "avx2", "baseline" });
        if (expected != null) Assert.Equal(expected, TtcLibrary.CpuInstructionSet);
    }
}
