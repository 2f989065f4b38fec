using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace TtcNative.Reasoning;

/// <summary>
/// 1-D conv block for sequences (parity): f(z; x) = tanh(conv(gelu(conv(gelu(conv(z + x)))))), three width-3 convs,
/// so one step sees radius 3. z, x: [B, C, L]. tanh keeps the state bounded over thousands of steps.
/// </summary>
public sealed class ConvBlock1d : Module<Tensor, Tensor, Tensor>
{
    readonly Conv1d c1, c2, c3;

    public ConvBlock1d(int width, string name = "ConvBlock1d") : base(name)
    {
        c1 = Conv1d(width, width, 3, padding: 1);
        c2 = Conv1d(width, width, 3, padding: 1);
        c3 = Conv1d(width, width, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>How far one step propagates information along the sequence.</summary>
    public static int ReceptiveRadius => 3;

    public override Tensor forward(Tensor z, Tensor x) =>
        tanh(c3.forward(F.gelu(c2.forward(F.gelu(c1.forward(z + x))))));
}

/// <summary>2-D conv block for grids (mazes): three 3x3 convs on z + x, radius 3 per step. z, x: [B, C, H, W].</summary>
public sealed class ConvBlock2d : Module<Tensor, Tensor, Tensor>
{
    readonly Conv2d c1, c2, c3;

    public ConvBlock2d(int width, string name = "ConvBlock2d") : base(name)
    {
        c1 = Conv2d(width, width, 3, padding: 1);
        c2 = Conv2d(width, width, 3, padding: 1);
        c3 = Conv2d(width, width, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor x) =>
        tanh(c3.forward(F.gelu(c2.forward(F.gelu(c1.forward(z + x))))));
}

/// <summary>
/// MLP-mixer block over a fixed set of tokens (Sudoku's 81 cells): token mixing, then channel mixing, each pre-norm
/// with a residual. z, x: [B, C, T] (channels first, like the conv blocks).
/// </summary>
public sealed class MixerBlock : Module<Tensor, Tensor, Tensor>
{
    readonly LayerNorm norm1, norm2;
    readonly Linear token1, token2, channel1, channel2;

    public MixerBlock(int width, int tokens, int hidden = 0, string name = "MixerBlock") : base(name)
    {
        hidden = hidden > 0 ? hidden : 2 * Math.Max(width, tokens);
        norm1 = LayerNorm(width);
        norm2 = LayerNorm(width);
        token1 = Linear(tokens, hidden);
        token2 = Linear(hidden, tokens);
        channel1 = Linear(width, hidden);
        channel2 = Linear(hidden, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor x)
    {
        var h = (z + x).transpose(1, 2);                                           // [B, T, C]
        var t = norm1.forward(h).transpose(1, 2);                                   // [B, C, T]
        h = h + token2.forward(F.gelu(token1.forward(t))).transpose(1, 2);
        h = h + channel2.forward(F.gelu(channel1.forward(norm2.forward(h))));
        return tanh(h.transpose(1, 2));
    }
}

/// <summary>
/// An MLP-mixer block whose token mixing runs within groups of tokens: for each partition of the tokens (Sudoku's
/// rows, columns and boxes), every token receives the mean of its group, through that partition's own projection.
/// Then channel mixing; each half pre-norm with a residual. z, x: [B, C, T].
/// </summary>
public sealed class GroupMixerBlock : Module<Tensor, Tensor, Tensor>
{
    readonly LayerNorm norm1, norm2;
    readonly Linear own, mixOut, channel1, channel2;
    readonly ModuleList<Linear> groupProjections;

    /// <param name="width">Channels of the state and of the injected input.</param>
    /// <param name="partitions">Each partition gives every token's group index; all have the same token count.</param>
    /// <param name="hidden">Width of the channel MLP; 0 or less means twice <paramref name="width"/>.</param>
    /// <param name="name">The module's name.</param>
    public GroupMixerBlock(int width, IReadOnlyList<int[]> partitions, int hidden = 0, string name = "GroupMixerBlock")
        : base(name)
    {
        if (partitions.Count == 0) throw new ArgumentException("at least one partition of the tokens is needed", nameof(partitions));
        var tokens = partitions[0].Length;
        if (partitions.Any(p => p.Length != tokens || p.Any(g => g < 0)))
            throw new ArgumentException($"every partition must give a group index >= 0 to each of {tokens} tokens", nameof(partitions));
        hidden = hidden > 0 ? hidden : 2 * width;
        norm1 = LayerNorm(width);
        norm2 = LayerNorm(width);
        own = Linear(width, hidden);
        groupProjections = new ModuleList<Linear>();
        foreach (var _ in partitions) groupProjections.Add(Linear(width, hidden, hasBias: false));
        mixOut = Linear(hidden, width);
        channel1 = Linear(width, hidden);
        channel2 = Linear(hidden, width);
        RegisterComponents();
        // [P, T, T], one averaging operator per partition. A buffer, so that .to() converts it; persistent, because
        // TorchSharp 0.107's .to() leaves non-persistent buffers in their old dtype.
        var operators = partitions.Select(MeanOperator).ToArray();
        register_buffer(GroupMeans, stack(operators));
        foreach (var o in operators) o.Dispose();
    }

    const string GroupMeans = "group_means";

    /// <summary>M[i, j] = 1 / |group(i)| when tokens i and j share a group, else 0: M n averages each token's group.</summary>
    static Tensor MeanOperator(int[] groupOf)
    {
        var t = groupOf.Length;
        var m = new float[t * t];
        for (var i = 0; i < t; ++i)
        {
            var size = groupOf.Count(g => g == groupOf[i]);
            for (var j = 0; j < t; ++j)
                if (groupOf[j] == groupOf[i]) m[i * t + j] = 1f / size;
        }
        return tensor(m, [t, t]);
    }

    public override Tensor forward(Tensor z, Tensor x)
    {
        var h = (z + x).transpose(1, 2);                                           // [B, T, C]
        var n = norm1.forward(h);
        var means = get_buffer(GroupMeans)!;
        var mixed = own.forward(n);
        for (var p = 0; p < groupProjections.Count; ++p)
            mixed = mixed + groupProjections[p].forward(matmul(means[p], n));
        h = h + mixOut.forward(F.gelu(mixed));
        h = h + channel2.forward(F.gelu(channel1.forward(norm2.forward(h))));
        return tanh(h.transpose(1, 2));
    }
}

/// <summary>
/// Pre-norm self-attention block with an MLP, over tokens (Sudoku cells or sequence positions), with learned position
/// embeddings. Causal when asked (TTC-Net). z, x: [B, C, T].
/// </summary>
public sealed class AttentionBlock : Module<Tensor, Tensor, Tensor>
{
    readonly LayerNorm norm1, norm2;
    readonly MultiheadAttention attention;
    readonly Linear mlp1, mlp2;
    readonly Parameter position;
    readonly bool _causal;

    public AttentionBlock(int width, int tokens, int heads = 4, bool causal = false, string name = "AttentionBlock") : base(name)
    {
        norm1 = LayerNorm(width);
        norm2 = LayerNorm(width);
        attention = MultiheadAttention(width, heads);
        mlp1 = Linear(width, 2 * width);
        mlp2 = Linear(2 * width, width);
        position = Parameter(randn(tokens, 1, width) * 0.02);
        _causal = causal;
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor x)
    {
        var h = (z + x).permute(2, 0, 1) + position;                               // [T, B, C]
        var n = norm1.forward(h);
        var T = h.shape[0];
        var mask = _causal ? triu(full(T, T, double.NegativeInfinity, dtype: h.dtype), 1) : null;
        // need_weights: true, and the weights disposed: with false, TorchSharp 0.107 hands back a weights tensor that no
        // dispose scope releases (the live-tensor count grew by one a call).
        var (attended, weights) = attention.forward(n, n, n, null, true, mask);
        weights.Dispose();
        h = h + attended;
        h = h + mlp2.forward(F.gelu(mlp1.forward(norm2.forward(h))));
        return tanh(h.permute(1, 2, 0));
    }
}

/// <summary>
/// A TTC-Net block (DESIGN.md §5: causal attention, then a TTC layer, then an MLP, each pre-norm with a residual) as an
/// update f(z; x) over tokens with learned positions: f = tanh(TtcNetBlock(z + x + positions, horizon)). z, x:
/// [B, C, T]. The TTC layer's output projection starts at zero, so a new block is plain attention + MLP; its horizon
/// is fixed per block.
/// </summary>
public sealed class TtcNetUpdateBlock : Module<Tensor, Tensor, Tensor>
{
    readonly TtcNetBlock block;
    readonly Parameter position;
    readonly long _horizon;

    public TtcNetUpdateBlock(int width, int tokens, long n = 8, long m = 8, long heads = 2, long horizon = 8,
        string name = "TtcNetUpdateBlock") : base(name)
    {
        block = new TtcNetBlock(new TtcNetOptions
        {
            Width = width, AttentionHeads = 4, MlpHidden = 2 * width, N = n, M = m, TtcHeads = heads, BRank = 4, QRank = 4,
            Layer = new TtcLayerOptions { ZeroInitOutput = true },
        });
        position = Parameter(randn(tokens, width) * 0.02);
        _horizon = horizon;
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor x)
    {
        var h = (z + x).transpose(1, 2) + position;                                 // [B, T, C]
        return tanh(block.forward(h, _horizon).transpose(1, 2));
    }
}
