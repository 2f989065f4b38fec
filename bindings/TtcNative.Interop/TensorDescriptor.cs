namespace TtcNative.Interop;

/// <summary>Builds <see cref="TtcTensor"/> descriptors.</summary>
public static unsafe class TensorDescriptor
{
    /// <summary>The absent tensor (ndim = 0), for optional fields.</summary>
    public static TtcTensor Absent => default;

    /// <summary>A descriptor with explicit element strides and capacity.</summary>
    public static TtcTensor Strided(void* data, ReadOnlySpan<long> shape, ReadOnlySpan<long> strides, long capacity)
    {
        if (shape.Length is 0 or > TtcConstants.TTC_MAX_DIMS)
            throw new ArgumentException($"rank {shape.Length} is outside 1..{TtcConstants.TTC_MAX_DIMS}", nameof(shape));
        if (strides.Length != shape.Length)
            throw new ArgumentException($"{strides.Length} strides for rank {shape.Length}", nameof(strides));
        var t = new TtcTensor { data = data, ndim = shape.Length, capacity = capacity };
        for (var i = 0; i < shape.Length; ++i)
        {
            t.shape[i] = shape[i];
            t.strides[i] = strides[i];
        }
        return t;
    }

    /// <summary>A dense row-major descriptor over `capacity` elements.</summary>
    public static TtcTensor Dense(void* data, ReadOnlySpan<long> shape, long capacity)
    {
        Span<long> strides = stackalloc long[shape.Length];
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; --i)
        {
            strides[i] = stride;
            stride *= Math.Max(1, shape[i]);
        }
        return Strided(data, shape, strides, capacity);
    }
}
