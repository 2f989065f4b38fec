using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace TtcNative;

/// <summary>
/// Multi-head self-attention over tokens in order, each token attending to itself and the tokens before it:
/// forward(x [B, L, width]) returns [B, L, width].
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    readonly Linear qkv, proj;
    readonly long _heads;

    public CausalSelfAttention(long width, long heads, string name = "CausalSelfAttention") : base(name)
    {
        if (heads < 1 || width % heads != 0)
            throw new ArgumentException($"width = {width} is not a positive multiple of heads = {heads}", nameof(heads));
        qkv = Linear(width, 3 * width);
        proj = Linear(width, width);
        _heads = heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        var parts = qkv.forward(x).reshape(batch, length, 3, _heads, width / _heads).permute(2, 0, 3, 1, 4);  // [3, B, H, L, d]
        var y = F.scaled_dot_product_attention(parts[0], parts[1], parts[2], is_casual: true);
        return proj.forward(y.transpose(1, 2).reshape(batch, length, width));
    }
}
