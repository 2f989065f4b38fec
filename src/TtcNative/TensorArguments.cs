using TorchSharp;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>
/// Argument checks for tensors handed to the native solver: dtype (f32/f64 only), device (CPU), and shape. Each failure
/// throws an <see cref="ArgumentException"/> that names the tensor and what was expected.
/// </summary>
internal static class TensorArguments
{
    public static ScalarType CheckDtype(Tensor t, string name)
    {
        if (t.dtype is ScalarType.Float64 or ScalarType.Float32) return t.dtype;
        var hint = t.dtype is ScalarType.BFloat16 or ScalarType.Float16
            ? "; half precision is not supported, convert with .to(torch.float32)"
            : "";
        throw new ArgumentException($"tensor '{name}' has dtype {t.dtype}; expected float32 or float64{hint}", name);
    }

    public static void CheckSameDtype(Tensor t, string name, ScalarType dtype)
    {
        CheckDtype(t, name);
        if (t.dtype != dtype)
            throw new ArgumentException($"tensor '{name}' has dtype {t.dtype}; expected {dtype} like the other inputs", name);
    }

    public static void CheckDevice(Tensor t, string name)
    {
        if (t.device_type != DeviceType.CPU)
            throw new ArgumentException(
                $"tensor '{name}' is on {t.device}; expected a CPU tensor (the CUDA backend is reached through the raw C ABI)", name);
    }

    /// <summary>Checks the shape; `expected` uses -1 for "any" and names the axes for the message.</summary>
    public static void CheckShape(Tensor t, string name, long[] expected, string axes)
    {
        var shape = t.shape;
        var ok = shape.Length == expected.Length;
        for (var i = 0; ok && i < shape.Length; ++i) ok = expected[i] < 0 || shape[i] == expected[i];
        if (!ok)
            throw new ArgumentException(
                $"tensor '{name}' has shape [{string.Join(", ", shape)}]; expected {axes} = [{string.Join(", ", expected.Select(e => e < 0 ? "*" : e.ToString()))}]",
                name);
    }

    public static void Check(Tensor t, string name, ScalarType dtype, long[] expected, string axes)
    {
        CheckSameDtype(t, name, dtype);
        CheckDevice(t, name);
        CheckShape(t, name, expected, axes);
    }
}
