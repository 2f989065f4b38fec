using System.Runtime.InteropServices;

namespace TtcNative.Interop;

/// <summary>
/// The one choke point between native statuses and .NET exceptions, and the library-wide queries. The first call
/// checks that the loaded library's ABI version is the one these bindings were generated for.
/// </summary>
public static unsafe class TtcLibrary
{
    static readonly Lazy<int> CheckedAbi = new(() =>
    {
        int abi;
        try
        {
            abi = TtcNativeMethods.ttc_abi_version();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"the native library '{NativeLibraryResolver.FileName(TtcNativeMethods.LibraryName)}' was not found; " +
                $"searched {string.Join(", ", NativeLibraryResolver.SearchDirectories())} (set TTC_NATIVE_DIR to override)", e);
        }
        if (abi != TtcConstants.TTC_ABI_VERSION)
            throw new InvalidOperationException(
                $"the native library has ABI version {abi}, but these bindings expect {TtcConstants.TTC_ABI_VERSION}");
        return abi;
    });

    /// <summary>Loads the library (once) and verifies its ABI version; throws when they disagree.</summary>
    public static void EnsureLoaded() => _ = CheckedAbi.Value;

    /// <summary>Throws a <see cref="TtcNativeException"/> unless the status is Ok.</summary>
    public static void Check(TtcStatus status, string operation)
    {
        if (status == TtcStatus.Ok) return;
        throw new TtcNativeException(status, LastError, TtcNativeMethods.ttc_last_error_batch_index(), operation);
    }

    public static int AbiVersion
    {
        get
        {
            EnsureLoaded();
            return CheckedAbi.Value;
        }
    }

    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Marshal.PtrToStringUTF8((IntPtr)TtcNativeMethods.ttc_version()) ?? "";
        }
    }

    /// <summary>
    /// The instruction set the CPU solvers run with: "avx2" or "baseline" (ttc_cpu_isa). Set the environment variable
    /// TTC_CPU_ISA=baseline before the first solve to force the baseline; both give bitwise the same results.
    /// </summary>
    public static string CpuInstructionSet
    {
        get
        {
            EnsureLoaded();
            return Marshal.PtrToStringUTF8((IntPtr)TtcNativeMethods.ttc_cpu_isa()) ?? "";
        }
    }

    public static string LastError => Marshal.PtrToStringUTF8((IntPtr)TtcNativeMethods.ttc_last_error()) ?? "";

    public static string StatusText(TtcStatus status) =>
        Marshal.PtrToStringUTF8((IntPtr)TtcNativeMethods.ttc_status_string((int)status)) ?? "";

    /// <summary>The native worker pool's size.</summary>
    public static int ThreadCount
    {
        get
        {
            EnsureLoaded();
            return TtcNativeMethods.ttc_get_num_threads();
        }
        set
        {
            EnsureLoaded();
            Check(TtcNativeMethods.ttc_set_num_threads(value), "ttc_set_num_threads");
        }
    }

    /// <summary>Scratch bytes one problem needs (ttc_workspace_size).</summary>
    public static long WorkspaceBytes(TtcDtype dtype, TtcWork work, long n, long m, long T, TtcOptions options)
    {
        EnsureLoaded();
        long bytes;
        Check(TtcNativeMethods.ttc_workspace_size((int)dtype, (int)work, n, m, T, &options, &bytes), "ttc_workspace_size");
        return bytes;
    }
}
