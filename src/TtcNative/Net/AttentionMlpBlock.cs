using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TtcNative;

/// <summary>
/// The blocks of a <see cref="TtcNet"/> between its TTC-Net blocks: pre-norm causal self-attention, then an MLP, each
/// added back to its input. forward(x [B, L, width]) returns [B, L, width].
/// </summary>
public sealed class AttentionMlpBlock : Module<Tensor, Tensor>
{
    readonly PreNormResidual attention, mlp;

    public AttentionMlpBlock(TtcNetOptions options, string name = "AttentionMlpBlock") : base(name)
    {
        options.ValidateBlock(nameof(options));
        attention = PreNormResidual.CausalAttention(options);
        mlp = PreNormResidual.Mlp(options);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => mlp.forward(attention.forward(x));
}
