using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TtcNative.Reasoning;

/// <summary>One optimizer step's numbers, for progress bars and logs.</summary>
public sealed record TrainingProgress(long Step, double Loss, double Accuracy, double HaltingAccuracy, TimeSpan Elapsed);

/// <summary>
/// Segment training (DESIGN.md §6): from random z_0 (or the fixed z_0 of the control), run k steps with path noise,
/// take the cross-entropy of the decoded answer plus the halting head's BCE on "whole answer correct", step the
/// optimizer, detach, and continue from the detached state, up to D_train segments. Optionally the first segment runs
/// a random prefix (&lt; k steps) without gradient. Each optimizer step draws its data and noise from generators
/// seeded by (seed, step), so a resumed run continues exactly as an uninterrupted one would.
/// </summary>
public sealed class ReasonerTrainer
{
    readonly IterativeReasoner _model;
    readonly IReasoningTask _task;
    readonly int _seed;

    public ReasonerTrainer(IterativeReasoner model, IReasoningTask task, TrainingConfig config, int seed)
    {
        config.Validate(nameof(config));
        _model = model;
        _task = task;
        Config = config;
        _seed = seed;
        Optimizer = optim.AdamW(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
    }

    public TrainingConfig Config { get; }
    public AdamW Optimizer { get; }
    public long Step { get; set; }
    public TimeSpan Elapsed { get; set; }
    public List<TrainingProgress> History { get; } = [];

    int DepthPerSegment => _model.FixedDepth ?? Config.SegmentSteps;

    /// <summary>Trains until maxSteps optimizer steps in total, the time budget, or cancellation.</summary>
    public void Train(long maxSteps, TimeSpan? budget, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSteps);
        if (budget is { } b) ArgumentOutOfRangeException.ThrowIfLessThan(b, TimeSpan.Zero, nameof(budget));
        var clock = Stopwatch.StartNew();
        var start = Elapsed;
        _model.train();
        while (Step < maxSteps && !cancel.IsCancellationRequested && (budget is null || clock.Elapsed < budget))
        {
            var rng = new Random(unchecked(_seed * 1_000_003 + (int)Step));
            var generator = new Generator((ulong)unchecked((long)_seed * 2_000_003 + Step));
            using var scope = NewDisposeScope();
            var batch = _task.TrainingBatch(Config.BatchSize, rng);
            var z = _model.InitialState(_model.Embed(batch.Inputs).detach(), generator);
            Tensor? earlyHaltLoss = null;
            var last = new StepResult(z, ones(batch.Inputs.shape[0]), ones(batch.Inputs.shape[0]));
            var segments = _model.FixedDepth is null ? Config.Segments : 1;
            for (var segment = 0; segment < segments && Step < maxSteps; ++segment)
            {
                var steps = DepthPerSegment;
                var k = 0;
                if (segment == 0 && Config.RandomNoGradPrefix && _model.FixedDepth is null)
                {
                    var prefix = rng.Next(steps);
                    using (no_grad())
                    {
                        var xPrefix = _model.Embed(batch.Inputs);
                        for (; k < prefix; ++k) z = (last = _model.Step(z, xPrefix, k, noise: true, generator)).Next;
                    }
                    z = z.detach();
                    // The halting head also sees unfinished states, where the answer is often still wrong.
                    var earlyCorrect = _task.Correct(_model.Logits(z).argmax(1), batch).to_type(z.dtype).detach();
                    earlyHaltLoss = F.binary_cross_entropy_with_logits(_model.HaltLogit(last), earlyCorrect);
                }
                var x = _model.Embed(batch.Inputs);
                for (; k < steps; ++k) z = (last = _model.Step(z, x, k, noise: true, generator)).Next;
                var logits = _model.Logits(z);
                var answerLoss = F.cross_entropy(logits, batch.Targets);
                var correct = _task.Correct(logits.argmax(1), batch).to_type(z.dtype);
                var haltLogit = _model.HaltLogit(last);
                var haltLoss = F.binary_cross_entropy_with_logits(haltLogit, correct);
                if (earlyHaltLoss is not null) haltLoss = 0.5 * (haltLoss + earlyHaltLoss);
                earlyHaltLoss = null;
                var loss = answerLoss + Config.HaltingWeight * haltLoss;
                Optimizer.zero_grad();
                loss.backward();
                if (Config.GradClip > 0) nn.utils.clip_grad_norm_(_model.parameters(), Config.GradClip);
                Optimizer.step();
                z = z.detach();
                ++Step;
                var haltAccuracy = ((haltLogit > 0).to_type(z.dtype) == correct).to_type(z.dtype).mean().ToDouble();
                var report = new TrainingProgress(Step, loss.ToDouble(), correct.mean().ToDouble(), haltAccuracy,
                    start + clock.Elapsed);
                History.Add(report);
                progress?.Report(report);
            }
        }
        Elapsed = start + clock.Elapsed;
    }
}
