using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TtcNative.Reasoning;

/// <summary>One update's result: the next state, the RMS residual and the peak per-position residual, per example.</summary>
public readonly record struct StepResult(Tensor Next, Tensor Residual, Tensor PeakResidual);

/// <summary>What a checkpoint needs to rebuild a reasoner.</summary>
public sealed record ReasonerSpec(string Task, BlockKind Block, ReasonerConfig Config, int InputChannels, int Classes,
    int Tokens, int FeedforwardDepth = 0)
{
    public bool IsFeedforward => FeedforwardDepth > 0;
}

/// <summary>
/// An equilibrium reasoner (DESIGN.md §6): an input encoder, an update block f(z; x) iterated with
/// z_{k+1} = z_k + (1 - alpha)(f(z_k; x) - z_k) + beta eps, a decoder to per-position class logits, and a halting head.
/// With FeedforwardDepth = K it is instead a feedforward network of K untied blocks applied once each (a control).
/// </summary>
public sealed class IterativeReasoner : Module
{
    readonly Linear encoder, decoder, halt;
    readonly ModuleList<Module<Tensor, Tensor, Tensor>> blocks;

    public IterativeReasoner(ReasonerSpec spec) : base("IterativeReasoner")
    {
        spec.Config.Validate($"{nameof(spec)}.Config");
        Spec = spec;
        var width = spec.Config.Width;
        encoder = Linear(spec.InputChannels, width);
        decoder = Linear(width, spec.Classes);
        halt = Linear(2, 1);
        blocks = new ModuleList<Module<Tensor, Tensor, Tensor>>();
        for (var k = 0; k < Math.Max(1, spec.FeedforwardDepth); ++k) blocks.Add(CreateBlock(spec));
        using (no_grad())
        {
            // Prior before training: fire once the peak residual is below 1e-2; BCE then moves the threshold.
            halt.weight!.copy_(tensor(new float[] { 0, -1 }).reshape(1, 2));
            halt.bias!.fill_(Math.Log(1e-2));
        }
        RegisterComponents();
    }

    public ReasonerSpec Spec { get; }

    static Module<Tensor, Tensor, Tensor> CreateBlock(ReasonerSpec spec) => spec.Block switch
    {
        BlockKind.Conv1d => new ConvBlock1d(spec.Config.Width),
        BlockKind.Conv2d => new ConvBlock2d(spec.Config.Width),
        BlockKind.Mixer => new MixerBlock(spec.Config.Width, spec.Tokens),
        BlockKind.Attention => new AttentionBlock(spec.Config.Width, spec.Tokens),
        BlockKind.TtcNet => new TtcNetUpdateBlock(spec.Config.Width, spec.Tokens),
        BlockKind.GroupMixer => new GroupMixerBlock(spec.Config.Width, TaskRegistry.TokenGroups(spec.Task)),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Block, "unknown block kind"),
    };

    /// <summary>x = encoder(input), channels first: [B, Cin, ...] -> [B, C, ...].</summary>
    public Tensor Embed(Tensor inputs) => encoder.forward(inputs.movedim([1], [-1])).movedim([-1], [1]);

    /// <summary>z_0 ~ N(0, sigma0^2) per trajectory, position and channel, or 0 for the fixed-z_0 arm.</summary>
    public Tensor InitialState(Tensor x, Generator? generator = null) =>
        Spec.Config.FixedInitialState || Spec.IsFeedforward
            ? zeros_like(x)
            : randn(x.shape, x.dtype, generator: generator) * Spec.Config.Sigma0;

    /// <summary>
    /// One update. Also returns, per example, the residual |f(z) - z| (RMS over all its elements) and the peak residual
    /// (the largest RMS over channels at any one position): one unfinished region shows in the peak at any size.
    /// </summary>
    public StepResult Step(Tensor z, Tensor x, int k, bool noise, Generator? generator = null)
    {
        var block = blocks[Spec.IsFeedforward ? Math.Min(k, blocks.Count - 1) : 0];
        var f = block.forward(z, x);
        var delta = f - z;
        var next = z + (1 - Spec.Config.Alpha) * delta;
        if (noise && Spec.Config.Beta > 0 && !Spec.IsFeedforward)
            next = next + Spec.Config.Beta * randn(z.shape, z.dtype, generator: generator);
        var squared = delta.detach().square();
        var residual = squared.flatten(1).mean([1]).sqrt();
        var peak = squared.mean([1]).flatten(1).max(1).values.sqrt();
        return new StepResult(next, residual, peak);
    }

    /// <summary>Per-position class logits, classes first: [B, classes, ...].</summary>
    public Tensor Logits(Tensor z) => decoder.forward(z.movedim([1], [-1])).movedim([-1], [1]);

    /// <summary>
    /// The halting head's logit per example, "this answer is whole and correct", from the logs of the last step's RMS
    /// and peak residuals. Both are size-independent, so a head trained on small instances transfers to large ones
    /// (a head on pooled state features fired at step 1 on length-256 parity).
    /// </summary>
    public Tensor HaltLogit(StepResult step) =>
        halt.forward(stack([step.Residual.detach(), step.PeakResidual.detach()], 1).add(1e-8).log()).squeeze(1);

    /// <summary>The number of steps a feedforward control applies (its fixed depth), or null for an iterative model.</summary>
    public int? FixedDepth => Spec.IsFeedforward ? Spec.FeedforwardDepth : null;
}
