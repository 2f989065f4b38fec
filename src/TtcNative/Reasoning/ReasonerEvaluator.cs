using TorchSharp;
using static TorchSharp.torch;

namespace TtcNative.Reasoning;

public sealed record CurvePoint(int Depth, int Breadth, string Aggregation, double Accuracy, double MeanSteps);

public sealed record HaltingResult(double Accuracy, double MeanSteps);

/// <summary>One test example: steps used under head halting, the restart breadth voting chose, its residual trace.</summary>
public sealed record ExampleRecord(int Index, bool Correct, int StepsUsed, int ChosenRestart, float[] ResidualTrace);

public sealed record EvaluationReport(
    string Task, int TestSize, List<CurvePoint> Curve, HaltingResult Halting, HaltingResult HaltingOnResidual,
    double ResidualCorrect, double ResidualWrong, List<ExampleRecord> Records);

public sealed record EvaluationOptions
{
    public int Seed { get; init; } = 1;
    /// <summary>Halting on the residual: stop once |f(z) - z| falls below this (noise off).</summary>
    public double ResidualThreshold { get; init; } = 1e-3;
    public int ChunkSize { get; init; } = 64;
    public IReadOnlyList<AggregationRule> Rules { get; init; } = [AggregationRule.Single, AggregationRule.Vote, AggregationRule.Converged];

    /// <summary>Throws an ArgumentOutOfRangeException that names the first setting evaluation cannot use.</summary>
    public void Validate(string name = "options")
    {
        SettingChecks.NonNegative(ResidualThreshold, $"{name}.ResidualThreshold");
        SettingChecks.AtLeastOne(ChunkSize, $"{name}.ChunkSize");
    }
}

/// <summary>
/// Inference (DESIGN.md §6). Depth curves come from one rollout per restart with halting off (noise off), read at every
/// depth of the grid; breadth aggregates B restarts by vote or by "top-1 converged"; halting on the head and on the
/// residual are reported as rows of their own.
/// </summary>
public static class ReasonerEvaluator
{
    public static EvaluationReport Evaluate(IterativeReasoner model, IReasoningTask task, TaskBatch data,
        IReadOnlyList<int> depths, IReadOnlyList<int> breadths, EvaluationOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new EvaluationOptions();
        options.Validate(nameof(options));
        SettingChecks.Require(depths.Count > 0 && depths.All(d => d >= 1), string.Join(",", depths), nameof(depths),
            "a non-empty list of depths >= 1");
        SettingChecks.Require(breadths.Count > 0 && breadths.All(b => b >= 1), string.Join(",", breadths), nameof(breadths),
            "a non-empty list of breadths >= 1");
        model.eval();
        using var _ = no_grad();
        var fixedDepth = model.FixedDepth;
        var grid = fixedDepth is int K ? [K] : depths.Distinct().Order().ToArray();
        var restarts = fixedDepth is null ? Math.Max(1, breadths.Max()) : 1;
        var maxDepth = grid.Max();
        var count = (int)data.Inputs.shape[0];
        // answers[r][d][i], correct[r][d][i], recent residual means[r][d][i], and per-example traces of restart 0.
        var answers = new string[restarts, grid.Length, count];
        var correct = new bool[restarts, grid.Length, count];
        var recent = new double[restarts, grid.Length, count];
        var traces = new float[count][];
        var haltHead = new (int Step, bool Correct)[count];
        var haltResidual = new (int Step, bool Correct)[count];
        var finalResidual = new double[count];
        long work = (long)restarts * count * maxDepth, done = 0;

        for (var start = 0; start < count; start += options.ChunkSize)
        {
            var n = Math.Min(options.ChunkSize, count - start);
            using var scope = NewDisposeScope();
            var chunk = new TaskBatch(data.Inputs.narrow(0, start, n), data.Targets.narrow(0, start, n), data.Size);
            var x = model.Embed(chunk.Inputs);
            for (var r = 0; r < restarts; ++r)
            {
                var generator = new Generator((ulong)(options.Seed * 7919 + r));
                var z = model.InitialState(x, generator);
                var window = new Queue<double[]>();
                var trace = new float[n, maxDepth];
                var headStep = new int[n];
                var residualStep = new int[n];
                for (var k = 0; k < maxDepth; ++k)
                {
                    using var stepScope = NewDisposeScope();
                    var step = model.Step(z, x, k, noise: false);
                    var residual = step.Residual;
                    z = step.Next.MoveToOuterDisposeScope();
                    var res = residual.to_type(ScalarType.Float64).data<double>().ToArray();
                    window.Enqueue(res);
                    if (window.Count > 3) window.Dequeue();
                    for (var i = 0; i < n; ++i) trace[i, k] = (float)res[i];
                    var depthIndex = Array.IndexOf(grid, k + 1);
                    var needHalting = r == 0 && (headStep.Contains(0) || residualStep.Contains(0));
                    if (depthIndex < 0 && !needHalting) continue;
                    var predictions = model.Logits(z).argmax(1);
                    var ok = task.Correct(predictions, chunk).data<bool>().ToArray();
                    if (depthIndex >= 0)
                    {
                        var keys = AnswerKeys(predictions);
                        for (var i = 0; i < n; ++i)
                        {
                            answers[r, depthIndex, start + i] = keys[i];
                            correct[r, depthIndex, start + i] = ok[i];
                            recent[r, depthIndex, start + i] = window.Average(w => w[i]);
                        }
                    }
                    if (r == 0)
                    {
                        var fires = (model.HaltLogit(step) > 0).data<bool>().ToArray();
                        for (var i = 0; i < n; ++i)
                        {
                            if (headStep[i] == 0 && (fires[i] || k + 1 == maxDepth))
                            {
                                headStep[i] = k + 1;
                                haltHead[start + i] = (k + 1, ok[i]);
                            }
                            if (residualStep[i] == 0 && (res[i] < options.ResidualThreshold || k + 1 == maxDepth))
                            {
                                residualStep[i] = k + 1;
                                haltResidual[start + i] = (k + 1, ok[i]);
                            }
                        }
                    }
                    done += n;
                    progress?.Report((double)(done + (long)n * k) / work);
                }
                if (r == 0)
                    for (var i = 0; i < n; ++i)
                    {
                        traces[start + i] = Enumerable.Range(0, maxDepth).Select(k => trace[i, k]).ToArray();
                        finalResidual[start + i] = trace[i, maxDepth - 1];
                    }
                progress?.Report(Math.Min(1.0, (double)((long)(start * restarts + (r + 1) * n) * maxDepth) / work));
            }
        }

        var curve = new List<CurvePoint>();
        for (var d = 0; d < grid.Length; ++d)
        foreach (var b in fixedDepth is null ? breadths.Where(b => b >= 1).Distinct().Order().ToArray() : [1])
        foreach (var rule in b == 1 ? [AggregationRule.Single] : options.Rules.Where(r => r != AggregationRule.Single).ToArray())
        {
            var hits = 0;
            for (var i = 0; i < count; ++i) hits += correct[Choose(rule, b, d, i, answers, recent), d, i] ? 1 : 0;
            curve.Add(new CurvePoint(grid[d], b, Aggregation.Name(rule), (double)hits / count, grid[d]));
        }

        var last = grid.Length - 1;
        var records = Enumerable.Range(0, count).Select(i => new ExampleRecord(i, correct[0, last, i], haltHead[i].Step,
            Choose(AggregationRule.Vote, restarts, last, i, answers, recent), traces[i])).ToList();
        double MeanResidual(bool wanted) =>
            Enumerable.Range(0, count).Where(i => correct[0, last, i] == wanted).Select(i => finalResidual[i]).DefaultIfEmpty(double.NaN).Average();
        HaltingResult Halting((int Step, bool Correct)[] h) =>
            new(h.Count(x => x.Correct) / (double)count, h.Average(x => x.Step));
        return new EvaluationReport(task.Name, data.Size, curve, Halting(haltHead), Halting(haltResidual),
            MeanResidual(true), MeanResidual(false), records);
    }

    static int Choose(AggregationRule rule, int breadth, int depth, int i, string[,,] answers, double[,,] recent)
    {
        switch (rule)
        {
            case AggregationRule.Single:
                return 0;
            case AggregationRule.Vote:
                return Aggregation.Vote(Enumerable.Range(0, breadth).Select(r => answers[r, depth, i]).ToList(),
                    Enumerable.Range(0, breadth).Select(r => recent[r, depth, i]).ToList());
            default:
                return Aggregation.Converged(Enumerable.Range(0, breadth).Select(r => recent[r, depth, i]).ToList());
        }
    }

    /// <summary>One string per example identifying its whole decoded answer.</summary>
    static string[] AnswerKeys(Tensor predictions)
    {
        var n = (int)predictions.shape[0];
        var flat = predictions.flatten(1).to_type(ScalarType.Int8).data<sbyte>().ToArray();
        var per = flat.Length / Math.Max(1, n);
        return Enumerable.Range(0, n).Select(i =>
            Convert.ToBase64String(Array.ConvertAll(flat[(i * per)..((i + 1) * per)], v => (byte)v))).ToArray();
    }
}
