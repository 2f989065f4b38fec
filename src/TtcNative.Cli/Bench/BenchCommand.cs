using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using TorchSharp;
using TtcNative.Cli.Reasoning;
using static TtcNative.Cli.Reasoning.ReasoningSetup;

namespace TtcNative.Cli.Bench;

/// <summary>
/// `ttc bench`: DESIGN.md §7's CPU comparison on this machine, at sizes a user picks: the native symplectic and Riccati
/// solvers through LqrFunction against the pure-TorchSharp Riccati with autograd, forward and forward+backward.
/// For figures to quote, the BenchmarkDotNet suite (`./build.sh bench-dotnet`) controls noise more carefully.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var n = new Option<int>("--n") { Description = "state size n", DefaultValueFactory = _ => 16 };
        var m = new Option<int>("--m") { Description = "control size m", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "problems N (tokens)", DefaultValueFactory = _ => 1024 };
        var heads = new Option<int>("--heads") { Description = "heads H per token (B and Q shared by them)", DefaultValueFactory = _ => 1 };
        var horizons = new Option<string>("--horizons") { Description = "horizons T", DefaultValueFactory = _ => "8,32" };
        var dtype = new Option<string>("--dtype") { Description = "float32 | float64 | both", DefaultValueFactory = _ => "both" };
        dtype.AcceptOnlyFromAmong("float32", "float64", "both");
        var solvers = new Option<string>("--solvers") { Description = "any of symplectic,riccati,torch", DefaultValueFactory = _ => "symplectic,riccati,torch" };
        var reps = new Option<int>("--reps") { Description = "timed calls per measurement (after one warm-up)", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "write the timings as JSON" };
        var seed = new Option<int>("--seed") { Description = "random seed of the problems", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("bench", "Time the native solvers against a pure-TorchSharp Riccati (DESIGN.md §7, CPU)")
            { n, m, batch, heads, horizons, dtype, solvers, reps, json, seed, threads };
        command.SetAction(r =>
        {
            var plan = new BenchPlan(AtLeastOne(r.GetValue(n), "--n"), AtLeastOne(r.GetValue(m), "--m"),
                AtLeastOne(r.GetValue(batch), "--batch"), AtLeastOne(r.GetValue(heads), "--heads"),
                ParseList(r.GetValue(horizons)!, "--horizons"), Dtypes(r.GetValue(dtype)!), Solvers(r.GetValue(solvers)!),
                AtLeastOne(r.GetValue(reps), "--reps"), r.GetValue(seed));
            CheckMemory(plan);
            ReasoningSetup.Seed(plan.Seed, r.GetValue(threads));
            var timings = Measure(plan);
            AnsiConsole.Write(Table(plan, timings));
            if (r.GetValue(json) is { } path)
            {
                Reports.WriteJson(path, Json(plan, r.GetValue(threads), timings));
                r.InvocationConfiguration.Output.WriteLine($"wrote {Path.GetFullPath(path)}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Refuses a plan whose largest run would not fit in memory, before anything runs: the problems themselves, and the
    /// TorchSharp baseline's autograd graph, which keeps about 6 n² values a step and problem (docs/BENCHMARKS.md).
    /// </summary>
    static void CheckMemory(BenchPlan plan)
    {
        double problems = (double)plan.Batch * plan.Heads, n2 = (double)plan.N * plan.N, T = plan.Horizons.Max();
        var values = problems * (3 * n2 + 4 * plan.N + 3 * plan.M + plan.N * plan.M);
        if (plan.Solvers.Contains(BenchSolver.Torch)) values += problems * T * 6 * (n2 + plan.N * plan.M);
        var bytes = 8 * values;
        var available = (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > 0.5 * available)
            throw new InputError($"the largest run needs about {bytes / (1 << 30):F1} GiB, more than half of the " +
                                 $"{available / (1 << 30):F1} GiB available: lower --batch, --heads, --n or --horizons" +
                                 (plan.Solvers.Contains(BenchSolver.Torch) ? ", or leave torch out of --solvers" : ""));
    }

    static List<BenchTiming> Measure(BenchPlan plan)
    {
        List<BenchTiming> timings = [];
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"timing {plan.Runs} runs (N = {plan.Batch}, H = {plan.Heads}, n = {plan.N}, m = {plan.M})",
                    maxValue: plan.Runs);
                timings = SolverTimings.Run(plan, t =>
                {
                    bar.Increment(1);
                    bar.Description = $"timing: T = {t.T} {Name(t.Dtype)} {Name(t.Solver)} done";
                });
            });
        return timings;
    }

    /// <summary>One row per run; a speedup is the TorchSharp Riccati's time over the solver's, at the same T and dtype.</summary>
    static Table Table(BenchPlan plan, List<BenchTiming> timings)
    {
        var table = new Table().Title($"N = {plan.Batch}, H = {plan.Heads}, n = {plan.N}, m = {plan.M}, median of {plan.Reps} " +
                                      "(spread: (max - min) / median); torch: the Riccati in TorchSharp ops with autograd");
        foreach (var column in new[] { "T", "dtype", "solver", "fwd ms", "fwd+bwd ms", "spread", "fwd+bwd vs torch", "fwd GFLOP/s" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var t in timings)
        {
            var torch = Baseline(timings, t);
            table.AddRow(t.T.ToString(), Name(t.Dtype), Name(t.Solver), $"{t.ForwardMs:F2}", $"{t.ForwardBackwardMs:F2}",
                $"{t.ForwardBackwardSpread:P0}",
                torch is null ? "" : t.Solver == BenchSolver.Torch ? "baseline" : $"{torch.ForwardBackwardMs / t.ForwardBackwardMs:F2}x", $"{t.ForwardGflops(plan):F2}");
        }
        return table;
    }

    static JsonNode Json(BenchPlan plan, int threads, List<BenchTiming> timings) => new JsonObject
    {
        ["case"] = "discounted form, B and Q shared by the heads (DESIGN.md section 7, CPU)",
        ["n"] = plan.N, ["m"] = plan.M, ["batch"] = plan.Batch, ["heads"] = plan.Heads, ["reps"] = plan.Reps,
        ["seed"] = plan.Seed, ["threads"] = threads, ["cpu_isa"] = Interop.TtcLibrary.CpuInstructionSet.ToString(),
        ["timings"] = new JsonArray(timings.Select(t => (JsonNode)new JsonObject
        {
            ["T"] = t.T, ["dtype"] = Name(t.Dtype), ["solver"] = Name(t.Solver), ["forward_ms"] = t.ForwardMs,
            ["forward_backward_ms"] = t.ForwardBackwardMs, ["forward_backward_spread"] = t.ForwardBackwardSpread,
            ["forward_gflops"] = t.ForwardGflops(plan),
            ["forward_backward_speedup_vs_torch"] = Baseline(timings, t) is { } b ? b.ForwardBackwardMs / t.ForwardBackwardMs : null,
        }).ToArray()),
    };

    static BenchTiming? Baseline(List<BenchTiming> timings, BenchTiming t) =>
        timings.FirstOrDefault(b => b.Solver == BenchSolver.Torch && b.T == t.T && b.Dtype == t.Dtype);

    static torch.ScalarType[] Dtypes(string dtype) => dtype switch
    {
        "float32" => [torch.ScalarType.Float32],
        "float64" => [torch.ScalarType.Float64],
        _ => [torch.ScalarType.Float32, torch.ScalarType.Float64],
    };

    static BenchSolver[] Solvers(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var solvers = names.Select(s => s switch
        {
            "symplectic" => BenchSolver.Symplectic,
            "riccati" => BenchSolver.Riccati,
            "torch" => BenchSolver.Torch,
            _ => throw new InputError($"--solvers: unknown solver '{s}'; expected any of symplectic, riccati, torch"),
        }).Distinct().ToArray();
        return solvers.Length > 0 ? solvers : throw new InputError("--solvers must name at least one of symplectic, riccati, torch");
    }

    static string Name(torch.ScalarType dtype) => dtype == torch.ScalarType.Float32 ? "float32" : "float64";

    static string Name(BenchSolver solver) => solver.ToString().ToLowerInvariant();
}
