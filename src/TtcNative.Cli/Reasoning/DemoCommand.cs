using System.CommandLine;
using Spectre.Console;
using TtcNative.Reasoning;

namespace TtcNative.Cli.Reasoning;

/// <summary>
/// `ttc demo`, the built-in default: trains the parity reasoner and both control arms (fixed z_0 without noise, and a
/// feedforward network of the training depth) at equal time budgets on lengths 16-32, evaluates them at length 256,
/// and prints accuracy against depth.
/// </summary>
public static class DemoCommand
{
    public static readonly int[] Depths = [16, 32, 64, 128, 256, 512, 1024];

    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "write the results as JSON" };
        var seconds = new Option<double>("--seconds") { Description = "training budget per model", DefaultValueFactory = _ => 200 };
        var outDir = new Option<string>("--out-dir") { Description = "where the checkpoints go", DefaultValueFactory = _ => "artifacts/demo" };
        var count = new Option<int>("--count") { Description = "test sequences of length 256", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("demo", "Train and evaluate the parity reasoner and its controls (about 12 minutes on 2 cores)")
            { json, seconds, outDir, count, seed, threads };
        command.SetAction(r => Run(r.GetValue(json), r.GetValue(seconds), r.GetValue(outDir)!, r.GetValue(count), r.GetValue(seed),
            r.GetValue(threads), r.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(string? jsonPath, double seconds, string outDir, int count, int seed, int threads, TextWriter output)
    {
        ReasoningSetup.Seconds(seconds, "--seconds");
        ReasoningSetup.AtLeastOne(count, "--count");
        var spec = ReasoningSetup.Spec("parity");
        var training = new TrainingConfig();
        var reports = new Dictionary<Arm, EvaluationReport>();
        foreach (var arm in new[] { Arm.Reasoner, Arm.FixedNoNoise, Arm.Feedforward })
        {
            var path = Path.Combine(outDir, $"parity-{arm.ToString().ToLowerInvariant()}.bin");
            var request = new TrainRequest(spec, arm, null, 48, training, seed, threads, long.MaxValue, seconds, path, false, null);
            var code = ReasoningCommands.RunTraining(request, output);
            if (code != 0) return code;
        }
        foreach (var arm in new[] { Arm.Reasoner, Arm.FixedNoNoise, Arm.Feedforward })
        {
            var loaded = Checkpoint.Load(Path.Combine(outDir, $"parity-{arm.ToString().ToLowerInvariant()}.bin"));
            ReasoningSetup.Seed(seed, threads);
            var task = TaskRegistry.Create(loaded.Header.Task);
            var batch = task.TestBatch(count, 256, new Random(seed + 104_729));
            reports[arm] = ReasoningCommands.Evaluate(loaded.Model, task, batch, Depths, [1], 1e-3, seed);
        }

        var table = new Table().Title($"parity at length 256: exact match against depth D (trained on lengths 16-32, training depth {training.TrainingDepth})");
        table.AddColumn("depth D");
        table.AddColumn(new TableColumn("reasoner (random z0 + noise)").RightAligned());
        table.AddColumn(new TableColumn("fixed z0, no noise").RightAligned());
        table.AddColumn(new TableColumn($"feedforward (depth {training.TrainingDepth})").RightAligned());
        string At(Arm arm, int depth) =>
            reports[arm].Curve.FirstOrDefault(p => p.Depth == depth) is { } p ? $"{p.Accuracy:P0}" : "-";
        foreach (var depth in Depths) table.AddRow(depth.ToString(), At(Arm.Reasoner, depth), At(Arm.FixedNoNoise, depth), "-");
        table.AddRow(training.TrainingDepth.ToString(), "", "", At(Arm.Feedforward, training.TrainingDepth));
        table.AddEmptyRow();
        table.AddRow("halting (head)", Halting(reports[Arm.Reasoner].Halting), Halting(reports[Arm.FixedNoNoise].Halting), "");
        table.AddRow("halting (residual)", Halting(reports[Arm.Reasoner].HaltingOnResidual), Halting(reports[Arm.FixedNoNoise].HaltingOnResidual), "");
        AnsiConsole.Write(table);
        output.WriteLine($"a block of radius {ConvBlock1d.ReceptiveRadius} needs >= ceil(255/{ConvBlock1d.ReceptiveRadius}) = " +
                         $"{(255 + ConvBlock1d.ReceptiveRadius - 1) / ConvBlock1d.ReceptiveRadius} steps to see a whole length-256 string");
        if (jsonPath != null)
        {
            Reports.WriteJson(jsonPath, Reports.Json(reports[Arm.Reasoner], training.TrainingDepth,
                reports[Arm.FixedNoNoise].Curve, reports[Arm.Feedforward].Curve));
            output.WriteLine($"wrote {jsonPath}");
        }
        return 0;
    }

    static string Halting(HaltingResult h) => $"{h.Accuracy:P0} in {h.MeanSteps:F0} steps";
}
