using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TtcNative;

/// <summary>A pre-norm residual sublayer: forward(x) = x + sublayer(LayerNorm(x)), over the last axis.</summary>
public sealed class PreNormResidual : Module<Tensor, Tensor>
{
    readonly LayerNorm norm;
    readonly Module<Tensor, Tensor> sublayer;

    public PreNormResidual(long width, Module<Tensor, Tensor> sublayer, string name = "PreNormResidual") : base(name)
    {
        norm = LayerNorm(width);
        this.sublayer = sublayer;
        RegisterComponents();
    }

    public static PreNormResidual CausalAttention(TtcNetOptions o) =>
        new(o.Width, new CausalSelfAttention(o.Width, o.AttentionHeads));

    public static PreNormResidual Mlp(TtcNetOptions o) => new(o.Width, new FeedForward(o.Width, o.Hidden));

    public override Tensor forward(Tensor x) => x + sublayer.forward(norm.forward(x));
}
