using System.Text.RegularExpressions;

namespace TtcNative.Interop;

/// <summary>
/// A failure reported by the native library: its status, its message (which names the argument), and the batch index
/// (token * H + head) of the failing problem, or -1.
/// </summary>
public sealed partial class TtcNativeException : Exception
{
    public TtcNativeException(TtcStatus status, string nativeMessage, long batchIndex, string operation)
        : base($"{operation} failed ({status}): {nativeMessage}")
    {
        Status = status;
        NativeMessage = nativeMessage;
        BatchIndex = batchIndex;
        ArgumentName = ArgumentPattern().Match(nativeMessage) is { Success: true } m ? m.Groups[1].Value : null;
    }

    public TtcStatus Status { get; }

    /// <summary>The native message, as ttc_last_error() gave it.</summary>
    public string NativeMessage { get; }

    /// <summary>The failing problem's index (token * H + head), or -1 when the failure is not about one problem.</summary>
    public long BatchIndex { get; }

    /// <summary>The argument the message names ("argument 'rho' ..."), or null.</summary>
    public string? ArgumentName { get; }

    [GeneratedRegex(@"argument '([^']+)'")]
    private static partial Regex ArgumentPattern();
}
