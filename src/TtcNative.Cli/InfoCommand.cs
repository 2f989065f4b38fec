using System.CommandLine;
using TtcNative.Interop;

namespace TtcNative.Cli;

/// <summary>
/// `ttc info`: the library version, its ABI, the backends found, whether the CUDA backend sees a device (and why not),
/// the CPU instruction set, and the thread count.
/// </summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Print the native library's version, ABI, backends, CPU instruction set and threads");
        command.SetAction(r =>
        {
            var output = r.InvocationConfiguration.Output;
            output.WriteLine($"TtcNative {TtcLibrary.Version}");
            output.WriteLine($"ABI        {TtcLibrary.AbiVersion} (bindings expect {TtcConstants.TTC_ABI_VERSION})");
            output.WriteLine($"cpu        {NativeLibraryResolver.Locate(TtcNativeMethods.LibraryName) ?? "(system search path)"}");
            var cuda = NativeLibraryResolver.Locate("ttc_cuda");
            output.WriteLine($"cuda       {cuda ?? "not built (no libttc_cuda in the search path)"}");
            if (cuda != null) output.WriteLine($"gpu        {GpuLine()}");
            output.WriteLine($"cpu isa    {TtcLibrary.CpuInstructionSet}");
            output.WriteLine($"threads    {TtcLibrary.ThreadCount}");
            return 0;
        });
        return command;
    }

    /// <summary>What ttc_cuda_available says: the device count, or the reason there is none.</summary>
    public static string GpuLine() =>
        TtcCuda.IsAvailable(out var count, out var reason)
            ? $"{count} CUDA device{(count == 1 ? "" : "s")}"
            : $"none: {reason}";
}
