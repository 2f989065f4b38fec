using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>
/// Exceptions must not cross the native frames of libtorch's autograd engine (that kills the process). So a failure
/// inside <see cref="LqrFunction"/>'s backward returns zero gradients and is recorded here, in a thread-local slot,
/// then rethrown by <see cref="Backward"/> (call it instead of loss.backward()) or by the next LqrFunction apply.
/// </summary>
public static class TtcAutograd
{
    [ThreadStatic] static ExceptionDispatchInfo? _pending;

    internal static void Record(Exception e) => _pending ??= ExceptionDispatchInfo.Capture(e);

    /// <summary>Rethrows (and clears) a failure recorded by a backward pass on this thread.</summary>
    public static void ThrowIfPending()
    {
        var pending = _pending;
        _pending = null;
        pending?.Throw();
    }

    /// <summary>loss.backward(), then rethrows any failure recorded inside a TtcNative backward.</summary>
    public static void Backward(Tensor loss, bool retainGraph = false, bool createGraph = false)
    {
        if (createGraph)
            throw new NotSupportedException("create_graph (double backward) is not supported through LqrFunction");
        ThrowIfPending();
        loss.backward(retain_graph: retainGraph);
        ThrowIfPending();
    }
}
