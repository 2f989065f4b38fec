using TtcNative.Cli;
using Xunit;

namespace TtcNative.Interop.Tests;

public class InfoTests
{
    [Fact]
    public void InfoPrintsVersionAbiBackendsAndThreads()
    {
        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(["info"], output, new StringWriter()));
        var text = output.ToString();
        Assert.Contains($"TtcNative {TtcLibrary.Version}", text);
        Assert.Contains($"ABI        {TtcConstants.TTC_ABI_VERSION}", text);
        Assert.Contains("libttc.so", text);
        Assert.Contains("cuda", text);
        Assert.Contains($"threads    {TtcLibrary.ThreadCount}", text);
    }
}
