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
    public void CpuInstructionSetIsOneTheLibraryBuilds()
    {
        var expected = Environment.GetEnvironmentVariable("TTC_CPU_ISA") == "baseline" ? "baseline" : null;
        Assert.Contains(TtcLibrary.CpuInstructionSet, new[] { "avx2", "baseline" });
        if (expected != null) Assert.Equal(expected, TtcLibrary.CpuInstructionSet);
    }
}
