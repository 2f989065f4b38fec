using System.Runtime.InteropServices;

namespace TtcNative.Interop;

/// <summary>
/// The CUDA backend (libttc_cuda, ttc_cuda.h) from .NET: availability, the status-to-exception choke point of the
/// ttc_cuda_* calls, and the device status word. The entry points are the generated
/// <see cref="TtcCudaNativeMethods"/>: raw device pointers in the <see cref="TtcTensor"/> descriptors, and a
/// cudaStream_t as <c>nint</c> (0 = the legacy default stream). TorchSharp exposes no streams (ENVIRONMENT.md).
/// </summary>
public static unsafe class TtcCuda
{
    /// <summary>True when libttc_cuda loads and reports at least one device; otherwise why not.</summary>
    public static bool IsAvailable(out int deviceCount, out string reason)
    {
        deviceCount = 0;
        try
        {
            int count;
            var status = TtcCudaNativeMethods.ttc_cuda_available(&count);
            deviceCount = count;
            reason = status == TtcStatus.Ok ? "" : LastError;
            return status == TtcStatus.Ok;
        }
        catch (DllNotFoundException)
        {
            reason = $"the CUDA library '{NativeLibraryResolver.FileName(TtcCudaNativeMethods.LibraryName)}' was not " +
                     "found: it is built only where nvcc is installed";
            return false;
        }
    }

    /// <summary>The ABI version of the loaded CUDA library; it must equal TTC_ABI_VERSION.</summary>
    public static int AbiVersion => TtcCudaNativeMethods.ttc_cuda_abi_version();

    /// <summary>Throws a <see cref="TtcNativeException"/> unless the status of a ttc_cuda_* call is Ok.</summary>
    public static void Check(TtcStatus status, string operation)
    {
        if (status == TtcStatus.Ok) return;
        throw new TtcNativeException(status, LastError, TtcCudaNativeMethods.ttc_cuda_last_error_batch_index(), operation);
    }

    public static string LastError => Marshal.PtrToStringUTF8((IntPtr)TtcCudaNativeMethods.ttc_cuda_last_error()) ?? "";

    /// <summary>Decodes a device status word copied to the host: the status and the failing batch index (or -1).</summary>
    public static (TtcStatus Status, long BatchIndex) DecodeStatusWord(ulong word)
    {
        int status;
        long batch;
        Check(TtcCudaNativeMethods.ttc_cuda_decode_status(word, &status, &batch), "ttc_cuda_decode_status");
        return ((TtcStatus)status, batch);
    }

    /// <summary>Throws the failure a device status word records, naming the operation; does nothing for 0.</summary>
    public static void CheckStatusWord(ulong word, string operation)
    {
        var (status, batch) = DecodeStatusWord(word);
        if (status != TtcStatus.Ok)
            throw new TtcNativeException(status, $"the device reported {TtcLibrary.StatusText(status)} for problem {batch}",
                batch, operation);
    }

    /// <summary>Device scratch bytes one call allocates for a batch (ttc_cuda_workspace_size).</summary>
    public static long WorkspaceBytes(TtcDtype dtype, TtcWork work, long problems, long n, long m, long T, TtcOptions options)
    {
        long bytes;
        Check(TtcCudaNativeMethods.ttc_cuda_workspace_size((int)dtype, (int)work, problems, n, m, T, &options, &bytes),
            "ttc_cuda_workspace_size");
        return bytes;
    }
}
