using Spectre.Console;
using TtcNative.Reasoning;

namespace TtcNative.Cli.Reasoning;

/// <summary>What to train: one arm of an experiment.</summary>
public enum Arm { Reasoner, FixedNoNoise, Feedforward }

public sealed record TrainRequest(
    TaskSpec Task, Arm Arm, BlockKind? Block, int Width, TrainingConfig Training, int Seed, int Threads,
    long MaxSteps, double Seconds, string Output, bool Resume, string? TrainFile);

/// <summary>Training with a progress bar (ETA, loss, accuracy), Ctrl-C saving a resumable checkpoint.</summary>
public static class Training
{
    public sealed record Result(IterativeReasoner Model, CheckpointHeader Header, bool Interrupted);

    public static ReasonerSpec Spec(IReasoningTask task, Arm arm, BlockKind? block, int width, TrainingConfig training)
    {
        var config = new ReasonerConfig { Width = width };
        if (arm != Arm.Reasoner) config = ReasonerConfig.FixedNoNoise(config);
        return new ReasonerSpec(task.Name, block ?? task.DefaultBlock, config, task.InputChannels, task.Classes, task.Tokens,
            arm == Arm.Feedforward ? training.TrainingDepth : 0);
    }

    public static Result Run(TrainRequest request, CancellationToken cancel, TextWriter log)
    {
        ReasoningSetup.Seed(request.Seed, request.Threads);
        IterativeReasoner model;
        byte[] optimizerState = [];
        CheckpointHeader? resumed = null;
        var task = ReasoningSetup.Create(request.Task, request.TrainFile);
        if (request.Resume && File.Exists(request.Output))
        {
            var loaded = Checkpoint.Load(request.Output);
            (model, optimizerState, resumed) = (loaded.Model, loaded.OptimizerState, loaded.Header);
            if (loaded.Header.Task.Name != request.Task.Name)
                throw new InputError($"--resume: '{request.Output}' holds a {loaded.Header.Task.Name} model, not {request.Task.Name}");
            ReasoningSetup.Seed(loaded.Header.Seed, request.Threads);
            log.WriteLine($"resuming {request.Output} at step {loaded.Header.Step}");
        }
        else
        {
            model = new IterativeReasoner(Spec(task, request.Arm, request.Block, request.Width, request.Training));
        }
        var trainingConfig = resumed?.Training ?? request.Training;
        var seed = resumed?.Seed ?? request.Seed;
        var trainer = new ReasonerTrainer(model, task, trainingConfig, seed);
        Checkpoint.RestoreOptimizer(trainer, optimizerState);
        trainer.Step = resumed?.Step ?? 0;
        trainer.Elapsed = TimeSpan.FromSeconds(resumed?.ElapsedSeconds ?? 0);
        var budget = TimeSpan.FromSeconds(Math.Max(0, request.Seconds - trainer.Elapsed.TotalSeconds));
        var label = $"{task.Name} {request.Arm switch { Arm.Reasoner => "reasoner", Arm.FixedNoNoise => "fixed z0, no noise", _ => "feedforward" }}";

        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask(label, maxValue: 1.0);
                var progress = new Progress<TrainingProgress>(_ => { });
                var reporter = new SynchronousProgress(p =>
                {
                    var byTime = request.Seconds > 0 ? p.Elapsed.TotalSeconds / request.Seconds : 0;
                    var bySteps = request.MaxSteps < long.MaxValue ? (double)p.Step / request.MaxSteps : 0;
                    bar.Value = Math.Min(1.0, Math.Max(byTime, bySteps));
                    bar.Description = $"{label}  step {p.Step}  loss {p.Loss:F4}  acc {p.Accuracy:P0}";
                });
                trainer.Train(request.MaxSteps, budget, reporter, cancel);
                bar.Value = 1.0;
            });

        var last = trainer.History.LastOrDefault();
        var header = new CheckpointHeader(1, request.Task, model.Spec, trainingConfig, seed, request.Threads, trainer.Step,
            trainer.Elapsed.TotalSeconds, last?.Loss ?? double.NaN, last?.Accuracy ?? double.NaN);
        Checkpoint.Save(request.Output, header, model, trainer);
        return new Result(model, header, cancel.IsCancellationRequested);
    }

    sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
