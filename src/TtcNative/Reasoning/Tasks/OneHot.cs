using static TorchSharp.torch;

namespace TtcNative.Reasoning.Tasks;

internal static class OneHot
{
    /// <summary>Class indices [B, ...] (as ints) to one-hot floats, classes first: [B, classes, ...].</summary>
    public static Tensor ChannelsFirst(int[] values, long[] shape, int classes)
    {
        using var indices = tensor(values, dtype: ScalarType.Int64).reshape(shape);
        var dims = Enumerable.Range(0, shape.Length + 1).Select(d => (long)d).ToArray();
        var order = new long[dims.Length];
        order[0] = 0;
        order[1] = dims.Length - 1;
        for (var d = 2; d < dims.Length; ++d) order[d] = d - 1;
        return nn.functional.one_hot(indices, classes).to_type(ScalarType.Float32).permute(order).contiguous();
    }
}
