using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TtcNative;

/// <summary>
/// A TTC-Net block (DESIGN.md §5): pre-norm causal self-attention, then a TTC layer, then an MLP, each added back to
/// its input. forward(x [B, L, width], T) returns [B, L, width]; T is the TTC layer's horizon, and T = 0 turns it off.
/// Only the attention mixes tokens, and only with earlier ones, so output t depends on inputs 1..t alone.
/// </summary>
public sealed class TtcNetBlock : Module<Tensor, long, Tensor>
{
    readonly PreNormResidual attention, mlp;
    readonly LayerNorm ttc_norm;
    readonly TtcLayer ttc;

    public TtcNetBlock(TtcNetOptions options, string name = "TtcNetBlock") : base(name)
    {
        options.ValidateBlock(nameof(options));
        attention = PreNormResidual.CausalAttention(options);
        ttc_norm = LayerNorm(options.Width);
        ttc = new TtcLayer(options.Width, options.Width, options.N, options.M, options.TtcHeads, options.BRank,
            options.QRank, options.Layer);
        mlp = PreNormResidual.Mlp(options);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, long T)
    {
        var h = attention.forward(x);
        h = h + ttc.forward(ttc_norm.forward(h), T);
        return mlp.forward(h);
    }
}
