using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TtcNative;

/// <summary>
/// A TTC-Net (DESIGN.md §5): a stack of pre-norm causal blocks over token features in which every TtcEvery-th block is
/// a <see cref="TtcNetBlock"/> and the others are <see cref="AttentionMlpBlock"/>s, then a final LayerNorm.
/// forward(x [B, L, width], T) returns [B, L, width]. T is the horizon of every TTC layer in this call (T = 0 turns them
/// off); while training, draw one per call from a <see cref="HorizonSampler"/>. The network is causal: output t
/// depends on inputs 1..t alone. It is a backbone: embed tokens before it and decode after it.
/// </summary>
public sealed class TtcNet : Module<Tensor, long, Tensor>
{
    readonly ModuleList<Module> blocks;
    readonly LayerNorm final_norm;
    readonly Parameter? position;

    public TtcNet(TtcNetOptions? options = null, string name = "TtcNet") : base(name)
    {
        Options = options ?? new TtcNetOptions();
        Options.ValidateNetwork(nameof(options));
        blocks = new ModuleList<Module>();
        for (long k = 1; k <= Options.Blocks; ++k)
            blocks.Add(k % Options.TtcEvery == 0 ? new TtcNetBlock(Options) : new AttentionMlpBlock(Options));
        final_norm = LayerNorm(Options.Width);
        if (Options.MaxLength > 0) position = Parameter(randn(Options.MaxLength, Options.Width) * 0.02);
        RegisterComponents();
    }

    public TtcNetOptions Options { get; }

    /// <summary>The indices (from 0) of the blocks that hold a TTC layer.</summary>
    public IReadOnlyList<int> TtcBlockIndices =>
        Enumerable.Range(0, blocks.Count).Where(i => blocks[i] is TtcNetBlock).ToList();

    public override Tensor forward(Tensor x, long T)
    {
        TensorArguments.CheckDtype(x, "x");
        TensorArguments.CheckShape(x, "x", [-1, -1, Options.Width], "[B, L, width]");
        if (T < 0) throw new ArgumentOutOfRangeException(nameof(T), T, "the horizon T must be >= 0");
        var length = x.shape[1];
        if (position is not null && length > Options.MaxLength)
            throw new ArgumentException(
                $"tensor 'x' holds {length} tokens; this TtcNet has position embeddings for at most MaxLength = {Options.MaxLength}",
                nameof(x));
        var h = position is null ? x : x + position.narrow(0, 0, length);
        foreach (var block in blocks)
            h = block switch
            {
                TtcNetBlock ttc => ttc.forward(h, T),
                AttentionMlpBlock plain => plain.forward(h),
                _ => throw new InvalidOperationException($"unexpected block {block.GetName()}"),
            };
        return final_norm.forward(h);
    }
}
