using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace TtcNative;

/// <summary>The per-token MLP of a transformer block: Linear(width, hidden), GELU, Linear(hidden, width).</summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    readonly Linear up, down;

    public FeedForward(long width, long hidden, string name = "FeedForward") : base(name)
    {
        up = Linear(width, hidden);
        down = Linear(hidden, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => down.forward(F.gelu(up.forward(x)));
}
