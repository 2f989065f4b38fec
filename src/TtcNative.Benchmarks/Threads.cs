using TtcNative.Interop;

namespace TtcNative.Benchmarks;

/// <summary>The thread counts every benchmark runs with: one per core, for the native library and for libtorch alike.</summary>
static class Threads
{
    public static int Count => Environment.ProcessorCount;

    public static void UseAllCores()
    {
        TtcLibrary.ThreadCount = Count;
        TorchSharp.torch.set_num_threads(Count);
    }
}
