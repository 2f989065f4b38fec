using TtcNative.Interop;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>
/// Describes CPU tensors to the C ABI without copying: the data pointer is the storage base plus the storage offset,
/// the strides are TorchSharp's, and the capacity is what the storage holds past the offset. Callers keep the tensors
/// alive (GC.KeepAlive) until the native call returns.
/// </summary>
internal static unsafe class NativeTensors
{
    public static TtcTensor Describe(Tensor t) => Describe(t, t.shape, t.stride());

    /// <summary>A tensor [N, ...] shared by H heads, described as [N, H, ...] with stride 0 on the head axis.</summary>
    public static TtcTensor DescribeSharedOverHeads(Tensor t, long heads)
    {
        var shape = t.shape.ToList();
        var strides = t.stride().ToList();
        shape.Insert(1, heads);
        strides.Insert(1, 0);
        return Describe(t, shape.ToArray(), strides.ToArray());
    }

    static TtcTensor Describe(Tensor t, long[] shape, long[] strides)
    {
        var (basePtr, count) = Storage(t);
        var offset = t.storage_offset();
        var data = (byte*)basePtr + offset * t.element_size();
        return TensorDescriptor.Strided(data, shape, strides, Math.Max(0, count - offset));
    }

    static (IntPtr Base, long Count) Storage(Tensor t)
    {
        if (t.dtype == ScalarType.Float64)
        {
            using var s = t.storage<double>();
            return (s.data_ptr(), s.Count);
        }
        using var f = t.storage<float>();
        return (f.data_ptr(), f.Count);
    }
}
