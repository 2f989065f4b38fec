using System.CommandLine;
using Spectre.Console;
using TtcNative.Reasoning;
using TtcNative.Reasoning.Tasks;
using static TtcNative.Cli.Reasoning.ReasoningSetup;

namespace TtcNative.Cli.Reasoning;

/// <summary>`ttc train`, `ttc eval` and `ttc data`.</summary>
public static class ReasoningCommands
{
    static Argument<string> TaskArgument() => new("task") { Description = "parity | maze | sudoku" };
    static Option<int> SeedOption() => new("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
    static Option<int> ThreadsOption() => new("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Command Train()
    {
        var task = TaskArgument();
        var output = new Option<string>("--out") { Description = "checkpoint to write", Required = true };
        var seconds = new Option<double>("--seconds") { Description = "training time budget", DefaultValueFactory = _ => 240 };
        var steps = new Option<long>("--steps") { Description = "optimizer steps (total)", DefaultValueFactory = _ => long.MaxValue };
        var arm = new Option<string>("--arm") { Description = "reasoner | fixed (z0 fixed, no noise) | feedforward", DefaultValueFactory = _ => "reasoner" };
        arm.AcceptOnlyFromAmong("reasoner", "fixed", "feedforward");
        var block = new Option<string?>("--block") { Description = "conv1d | conv2d | mixer | groups | attention | ttcnet (default: the task's)" };
        block.AcceptOnlyFromAmong("conv1d", "conv2d", "mixer", "groups", "attention", "ttcnet");
        var width = new Option<int>("--width") { Description = "latent channels", DefaultValueFactory = _ => 48 };
        var segment = new Option<int>("--segment-steps") { Description = "k: steps per segment", DefaultValueFactory = _ => 40 };
        var segments = new Option<int>("--segments") { Description = "D_train: segments per example", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate", DefaultValueFactory = _ => 1e-3 };
        var resume = new Option<bool>("--resume") { Description = "continue from --out if it exists" };
        var data = new Option<string?>("--data") { Description = "training set file (sudoku CSV)" };
        var minSize = new Option<int?>("--min-size") { Description = "maze: draw each training batch's k from this to 9 (default 9)" };
        var minGivens = new Option<int?>("--min-givens")
        {
            Description = $"sudoku: give each generated training puzzle from this many to {SudokuTask.TrainGivens} givens (default {SudokuTask.TrainGivens})",
        };
        var seed = SeedOption();
        var threads = ThreadsOption();
        var command = new Command("train", "Train an equilibrium reasoner (or a control arm) and write a checkpoint")
            { task, output, seconds, steps, arm, block, width, segment, segments, batch, lr, resume, data, minSize, minGivens, seed, threads };
        command.SetAction(r =>
        {
            var training = new TrainingConfig
            {
                SegmentSteps = AtLeastOne(r.GetValue(segment), "--segment-steps"),
                Segments = AtLeastOne(r.GetValue(segments), "--segments"),
                BatchSize = AtLeastOne(r.GetValue(batch), "--batch"),
                LearningRate = PositiveNumber(r.GetValue(lr), "--lr"),
            };
            var request = new TrainRequest(TrainingSpec(r.GetValue(task)!, r.GetValue(minSize), r.GetValue(minGivens), r.GetValue(data)), ParseArm(r.GetValue(arm)!), ParseBlock(r.GetValue(block)),
                AtLeastOne(r.GetValue(width), "--width"), training, r.GetValue(seed), r.GetValue(threads),
                AtLeastOne(r.GetValue(steps), "--steps"), Seconds(r.GetValue(seconds), "--seconds"), r.GetValue(output)!,
                r.GetValue(resume), r.GetValue(data));
            return RunTraining(request, r.InvocationConfiguration.Output);
        });
        return command;
    }

    /// <summary>Trains with Ctrl-C wired to a resumable checkpoint; returns 130 when interrupted.</summary>
    public static int RunTraining(TrainRequest request, TextWriter output)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var result = Training.Run(request, cancel.Token, output);
            if (result.Interrupted)
            {
                output.WriteLine($"interrupted: saved a resumable checkpoint at step {result.Header.Step} to {request.Output} " +
                                 "(continue with --resume)");
                return 130;
            }
            output.WriteLine($"trained {result.Header.Step} steps in {result.Header.ElapsedSeconds:F0} s " +
                             $"(training depth {result.Header.Training.TrainingDepth}); last loss {result.Header.LastLoss:F4}, " +
                             $"accuracy {result.Header.LastAccuracy:P1}; wrote {request.Output}");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    public static Command Eval()
    {
        var task = TaskArgument();
        var model = new Option<string>("--model") { Description = "checkpoint", Required = true };
        var depth = new Option<string>("--depth") { Description = "depth grid", DefaultValueFactory = _ => "1,2,4,8,16,32,64,128,256,512,1024" };
        var breadth = new Option<string>("--breadth") { Description = "breadth grid", DefaultValueFactory = _ => "1,4,16" };
        var size = new Option<int?>("--size") { Description = "test size: parity length, maze k (default: the task's)" };
        var count = new Option<int>("--count") { Description = "test examples", DefaultValueFactory = _ => 100 };
        var data = new Option<string?>("--data") { Description = "test set file instead of generated examples" };
        var json = new Option<string?>("--json") { Description = "write the results as JSON" };
        var plots = new Option<string?>("--plots") { Description = "folder for accuracy_vs_depth.png and accuracy_vs_breadth.png" };
        var threshold = new Option<double>("--residual-threshold") { Description = "halting on the residual", DefaultValueFactory = _ => 1e-3 };
        var records = new Option<string?>("--records") { Description = "write per-example records (JSON lines): steps used, chosen restart, residual trace" };
        var seed = SeedOption();
        var threads = ThreadsOption();
        var command = new Command("eval", "Evaluate a checkpoint over depth and breadth")
            { task, model, depth, breadth, size, count, data, json, plots, threshold, records, seed, threads };
        command.SetAction(r =>
        {
            ReasoningSetup.Seed(r.GetValue(seed), r.GetValue(threads));
            var spec = ReasoningSetup.Spec(r.GetValue(task)!);
            var depths = ReasoningSetup.ParseList(r.GetValue(depth)!, "--depth");
            var breadths = ReasoningSetup.ParseList(r.GetValue(breadth)!, "--breadth");
            var residualThreshold = NonNegativeNumber(r.GetValue(threshold), "--residual-threshold");
            var testSize = ReasoningSetup.Size(spec.Name, r.GetValue(size));
            Checkpoint.Loaded loaded;
            try
            {
                loaded = Checkpoint.Load(r.GetValue(model)!);
            }
            catch (CheckpointException e)
            {
                throw new InputError(e.Message);
            }
            if (loaded.Header.Task.Name != spec.Name)
                throw new InputError($"'{r.GetValue(model)}' holds a {loaded.Header.Task.Name} model, not {spec.Name}");
            var taskObject = ReasoningSetup.Create(loaded.Header.Task);
            var batch = ReasoningSetup.TestBatch(taskObject, r.GetValue(data), AtLeastOne(r.GetValue(count), "--count"), testSize, r.GetValue(seed));
            var report = Evaluate(loaded.Model, taskObject, batch, depths, breadths, residualThreshold, r.GetValue(seed));
            var trainingDepth = loaded.Header.Training.TrainingDepth;
            AnsiConsole.Write(Reports.Table(report, trainingDepth));
            if (r.GetValue(json) is { } path) Reports.WriteJson(path, Reports.Json(report, trainingDepth));
            if (r.GetValue(records) is { } recordsPath) Reports.WriteRecords(recordsPath, report);
            if (r.GetValue(plots) is { } folder)
                foreach (var png in Reports.Plots(report, folder)) r.InvocationConfiguration.Output.WriteLine($"wrote {png}");
            return 0;
        });
        return command;
    }

    public static EvaluationReport Evaluate(IterativeReasoner model, IReasoningTask task, TaskBatch batch, int[] depths,
        int[] breadths, double threshold, int seed)
    {
        EvaluationReport? report = null;
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"evaluating {task.Name} (size {batch.Size}, {batch.Inputs.shape[0]} examples)", maxValue: 1.0);
                report = ReasonerEvaluator.Evaluate(model, task, batch, depths, breadths,
                    new EvaluationOptions { Seed = seed, ResidualThreshold = threshold }, new SyncProgress(v => bar.Value = v));
                bar.Value = 1.0;
            });
        return report!;
    }

    public static Command Data()
    {
        var task = TaskArgument();
        var output = new Option<string>("--out") { Description = "file to write", Required = true };
        var count = new Option<int>("--count") { Description = "examples", DefaultValueFactory = _ => 1000 };
        var size = new Option<int?>("--size") { Description = "parity length, maze k, or Sudoku givens" };
        var qqwing = new Option<string?>("--qqwing") { Description = "Sudoku: import from qqwing at this grade (simple|easy|intermediate|expert)" };
        var seed = SeedOption();
        var command = new Command("data", "Write a dataset file: generated examples, or Sudoku puzzles from qqwing")
            { task, output, count, size, qqwing, seed };
        command.SetAction(r =>
        {
            var name = ReasoningSetup.Spec(r.GetValue(task)!).Name;
            var n = AtLeastOne(r.GetValue(count), "--count");
            var givenSize = ReasoningSetup.Size(name, r.GetValue(size));
            var rng = new Random(r.GetValue(seed));
            var path = Path.GetFullPath(r.GetValue(output)!);
            AtomicFile.WriteText(path, writer =>
            {
                switch (name)
                {
                    case "parity":
                        ParityTask.Write(writer, Enumerable.Range(0, n).Select(_ => ParityTask.RandomBits(givenSize ?? 256, rng)));
                        break;
                    case "maze":
                        MazeTask.Write(writer, Enumerable.Range(0, n).Select(_ => Maze.Generate(givenSize ?? 15, rng)));
                        break;
                    default:
                        SudokuFormat.Write(writer, r.GetValue(qqwing) is { } grade
                            ? Qqwing(n, grade)
                            : Enumerable.Range(0, n).Select(_ => Sudoku.Generate(rng, givenSize ?? 30)).ToList());
                        break;
                }
            });
            r.InvocationConfiguration.Output.WriteLine($"wrote {n} {name} examples to {path}");
            return 0;
        });
        return command;
    }

    static List<SudokuPuzzle> Qqwing(int count, string grade)
    {
        try
        {
            return SudokuFormat.FromQqwing(count, grade);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException)
        {
            throw new InputError(e.Message);
        }
    }

    static Arm ParseArm(string arm) => arm switch { "fixed" => Arm.FixedNoNoise, "feedforward" => Arm.Feedforward, _ => Arm.Reasoner };

    static BlockKind? ParseBlock(string? block) => block switch
    {
        null => null,
        "conv1d" => BlockKind.Conv1d,
        "conv2d" => BlockKind.Conv2d,
        "mixer" => BlockKind.Mixer,
        "groups" => BlockKind.GroupMixer,
        "attention" => BlockKind.Attention,
        _ => BlockKind.TtcNet,
    };

    sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
