namespace TtcNative;

/// <summary>
/// The shape of a <see cref="TtcNet"/> and of its blocks (DESIGN.md §5). Defaults: 8 blocks of width 64, the last
/// one a <see cref="TtcNetBlock"/> (a TTC layer every 8 blocks), 4 attention heads, an MLP of 4 x width, and TTC layers
/// with n = m = 16, 4 heads and B and Q bases of rank 8.
/// </summary>
public sealed record TtcNetOptions
{
    /// <summary>The width of the token features, in and out.</summary>
    public long Width { get; init; } = 64;

    /// <summary>How many blocks the network stacks.</summary>
    public long Blocks { get; init; } = 8;

    /// <summary>Every TtcEvery-th block (blocks TtcEvery, 2 TtcEvery, ... counted from 1) is a TtcNetBlock.</summary>
    public long TtcEvery { get; init; } = 8;

    public long AttentionHeads { get; init; } = 4;

    /// <summary>The MLP's hidden width; 0 means 4 x Width.</summary>
    public long MlpHidden { get; init; }

    /// <summary>The TTC layer's state size n, control size m, heads, and ranks of its B and Q bases.</summary>
    public long N { get; init; } = 16;

    public long M { get; init; } = 16;

    public long TtcHeads { get; init; } = 4;

    public long BRank { get; init; } = 8;

    public long QRank { get; init; } = 8;

    public TtcLayerOptions Layer { get; init; } = new();

    /// <summary>Learned position embeddings for sequences of up to MaxLength tokens; 0 means none.</summary>
    public long MaxLength { get; init; }

    public long Hidden => MlpHidden > 0 ? MlpHidden : 4 * Width;

    /// <summary>Checks what one block uses; throws an <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void ValidateBlock(string argument)
    {
        foreach (var (value, label) in new[] { (Width, nameof(Width)), (AttentionHeads, nameof(AttentionHeads)), (N, nameof(N)),
                     (M, nameof(M)), (TtcHeads, nameof(TtcHeads)), (BRank, nameof(BRank)), (QRank, nameof(QRank)) })
            AtLeastOne(value, label, argument);
        if (MlpHidden < 0) throw new ArgumentException($"{argument}.MlpHidden is {MlpHidden}; it must be >= 0 (0: 4 x Width)", argument);
        if (Width % AttentionHeads != 0)
            throw new ArgumentException($"{argument}.Width = {Width} is not a multiple of {argument}.AttentionHeads = {AttentionHeads}", argument);
    }

    /// <summary>Checks the blocks' options and the network's: Blocks, TtcEvery and MaxLength.</summary>
    public void ValidateNetwork(string argument)
    {
        ValidateBlock(argument);
        AtLeastOne(Blocks, nameof(Blocks), argument);
        AtLeastOne(TtcEvery, nameof(TtcEvery), argument);
        if (MaxLength < 0) throw new ArgumentException($"{argument}.MaxLength is {MaxLength}; it must be >= 0 (0: no positions)", argument);
        if (Blocks < TtcEvery)
            throw new ArgumentException(
                $"{argument}.Blocks = {Blocks} < {argument}.TtcEvery = {TtcEvery}: the network would have no TTC layer", argument);
    }

    static void AtLeastOne(long value, string label, string argument)
    {
        if (value < 1) throw new ArgumentException($"{argument}.{label} is {value}; it must be >= 1", argument);
    }
}
