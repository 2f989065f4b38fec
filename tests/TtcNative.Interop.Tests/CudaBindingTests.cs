using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace TtcNative.Interop.Tests;

/// <summary>
/// A fact about libttc_cuda. It runs wherever the library was built; it is reported as skipped only where the
/// native build found no nvcc (TTC_EXPECT_CUDA unset and no library), and it fails if the library is expected
/// (./build.sh test sets TTC_EXPECT_CUDA=1 when CMake found nvcc) but missing.
/// </summary>
public sealed class CudaLibraryFactAttribute : FactAttribute
{
    public CudaLibraryFactAttribute()
    {
        var built = NativeLibraryResolver.Locate(TtcCudaNativeMethods.LibraryName) != null;
        var expected = Environment.GetEnvironmentVariable("TTC_EXPECT_CUDA") == "1";
        if (!built && !expected) Skip = "libttc_cuda was not built here (no nvcc at build time)";
    }
}

/// <summary>The CUDA backend's C ABI through the generated bindings, on a machine without a GPU: everything that
/// must work before a device is touched (exports, ABI, availability, descriptor errors, status words, sizes).</summary>
public unsafe class CudaBindingTests
{
    [CudaLibraryFact]
    public void EveryGeneratedCudaImportIsExportedByTheBuiltLibrary()
    {
        var path = NativeLibraryResolver.Locate(TtcCudaNativeMethods.LibraryName);
        Assert.True(path != null, "libttc_cuda is expected (nvcc was found by the native build) but was not built");
        var handle = NativeLibrary.Load(path!);
        try
        {
            var imports = typeof(TtcCudaNativeMethods).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Select(m => m.GetCustomAttribute<LibraryImportAttribute>()?.EntryPoint).Where(e => e != null).ToList();
            Assert.Equal(14, imports.Count);
            foreach (var entry in imports)
                Assert.True(NativeLibrary.TryGetExport(handle, entry!, out _), $"{entry} is not exported by {path}");
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    [CudaLibraryFact]
    public void TheCudaLibraryHasTheAbiOfTheBindings() => Assert.Equal(TtcConstants.TTC_ABI_VERSION, TtcCuda.AbiVersion);

    [CudaLibraryFact]
    public void AvailabilityIsEitherDevicesOrAReason()
    {
        var available = TtcCuda.IsAvailable(out var devices, out var reason);
        if (available)
        {
            Assert.True(devices >= 1);
            Assert.Equal("", reason);
        }
        else
        {
            Assert.Equal(0, devices);
            Assert.StartsWith("no usable CUDA device", reason);
        }
    }

    [CudaLibraryFact]
    public void DescriptorErrorsReturnAtOnceAndNameTheArgument()
    {
        // rho is absent where the explicit form needs [N, H, T, m]: refused on the host, before any device work.
        var problem = new TtcExplicitProblem { a = Tensor(3, 1, 2, 4) };
        var solution = new TtcSolution { u1 = Tensor(3, 1, 2) };
        var status = TtcCudaNativeMethods.ttc_cuda_explicit_forward_f32(&problem, null, &solution, 0, null);
        Assert.Equal(TtcStatus.ShapeMismatch, status);
        Assert.Contains("'rho'", TtcCuda.LastError);
        var e = Assert.Throws<TtcNativeException>(() => TtcCuda.Check(status, "forward"));
        Assert.Equal(TtcStatus.ShapeMismatch, e.Status);

        Assert.Equal(TtcStatus.NullPointer,
            TtcCudaNativeMethods.ttc_cuda_discounted_backward_f64(null, null, null, null, 0, null));
        Assert.Contains("'problem'", TtcCuda.LastError);

        var options = new TtcOptions { solver = 7 };
        Assert.Equal(TtcStatus.InvalidArgument,
            TtcCudaNativeMethods.ttc_cuda_explicit_forward_f64(&problem, &options, &solution, 0, null));
        Assert.Contains("options.solver", TtcCuda.LastError);
    }

    [CudaLibraryFact]
    public void StatusWordsDecodeAsTheHeaderDefinesThem()
    {
        Assert.Equal((TtcStatus.Ok, -1L), TtcCuda.DecodeStatusWord(0));
        foreach (var (status, batch) in new[] { (TtcStatus.NotConvex, 5L), (TtcStatus.NonFinite, 0L), (TtcStatus.ZeroDiagonal, 123456789L) })
        {
            var word = ((ulong)(TtcCudaConstants.TTC_CUDA_STATUS_BATCH_LIMIT - 1 - batch) << 8) | (ulong)status;
            Assert.Equal((status, batch), TtcCuda.DecodeStatusWord(word));
        }
        // The lowest batch index has the largest word, so an atomic max on the device keeps it.
        var low = ((ulong)(TtcCudaConstants.TTC_CUDA_STATUS_BATCH_LIMIT - 1 - 2) << 8) | 7;
        var high = ((ulong)(TtcCudaConstants.TTC_CUDA_STATUS_BATCH_LIMIT - 1 - 9) << 8) | 11;
        Assert.True(low > high);
        var e = Assert.Throws<TtcNativeException>(() => TtcCuda.CheckStatusWord(high, "backward"));
        Assert.Equal(9, e.BatchIndex);
    }

    [CudaLibraryFact]
    public void WorkspaceSizeScalesWithTheBatchTheDtypeAndTheWork()
    {
        var o = new TtcOptions();
        var one = TtcCuda.WorkspaceBytes(TtcDtype.F32, TtcWork.Forward, 1, 16, 16, 64, o);
        var many = TtcCuda.WorkspaceBytes(TtcDtype.F32, TtcWork.Forward, 1000, 16, 16, 64, o);
        Assert.Equal(1000 * (one - 16), many - 16);  // 16 bytes of status words per call
        Assert.True(TtcCuda.WorkspaceBytes(TtcDtype.F64, TtcWork.Forward, 1, 16, 16, 64, o) > one);
        Assert.True(TtcCuda.WorkspaceBytes(TtcDtype.F32, TtcWork.Backward, 1, 16, 16, 64, o) > one);
        var e = Assert.Throws<TtcNativeException>(() => TtcCuda.WorkspaceBytes(TtcDtype.F32, TtcWork.Forward, 1, 0, 16, 64, o));
        Assert.Contains("'n'", e.Message);
    }

    static TtcTensor Tensor(params long[] shape)
    {
        var t = new TtcTensor { ndim = shape.Length, data = (void*)0x1000 };
        long stride = 1, count = 1;
        for (var k = shape.Length - 1; k >= 0; --k)
        {
            t.shape[k] = shape[k];
            t.strides[k] = stride;
            stride *= shape[k];
            count *= shape[k];
        }
        t.capacity = count;
        return t;
    }
}
