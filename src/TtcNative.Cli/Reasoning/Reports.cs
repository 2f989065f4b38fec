using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using TtcNative.Reasoning;

namespace TtcNative.Cli.Reasoning;

/// <summary>The evaluation table, the JSON of eval/demo, and the PNG plots.</summary>
public static class Reports
{
    public static JsonObject Json(EvaluationReport report, int trainingDepth,
        IReadOnlyList<CurvePoint>? fixedControl = null, IReadOnlyList<CurvePoint>? feedforward = null)
    {
        var json = new JsonObject
        {
            ["task"] = report.Task,
            ["test_size"] = report.TestSize,
            ["training_depth"] = trainingDepth,
            ["curve"] = Points(report.Curve),
            ["halting"] = new JsonObject { ["accuracy"] = report.Halting.Accuracy, ["mean_steps"] = report.Halting.MeanSteps },
            ["halting_residual"] = new JsonObject
            {
                ["accuracy"] = report.HaltingOnResidual.Accuracy, ["mean_steps"] = report.HaltingOnResidual.MeanSteps,
            },
            ["residual_correct"] = Number(report.ResidualCorrect),
            ["residual_wrong"] = Number(report.ResidualWrong),
        };
        if (fixedControl != null || feedforward != null)
            json["controls"] = new JsonObject
            {
                ["fixed_z0_no_noise"] = Points(fixedControl ?? []),
                ["feedforward"] = Points(feedforward ?? []),
            };
        return json;
    }

    static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    static JsonArray Points(IEnumerable<CurvePoint> points) => new(points.Select(p => (JsonNode)new JsonObject
    {
        ["depth"] = p.Depth, ["breadth"] = p.Breadth, ["aggregation"] = p.Aggregation, ["accuracy"] = p.Accuracy,
        ["mean_steps"] = p.MeanSteps,
    }).ToArray());

    public static void WriteJson(string path, JsonNode json)
    {
        AtomicFile.WriteText(path, w => w.Write(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>One JSON object per test example: index, correct (restart 0 at the largest depth), steps used under head
    /// halting, the restart that breadth voting chose, and the residual trace of restart 0.</summary>
    public static void WriteRecords(string path, EvaluationReport report)
    {
        AtomicFile.WriteText(path, writer =>
        {
            foreach (var r in report.Records)
                writer.WriteLine(JsonSerializer.Serialize(new
                {
                    index = r.Index, correct = r.Correct, steps_used = r.StepsUsed, chosen_restart = r.ChosenRestart,
                    residual_trace = r.ResidualTrace,
                }));
        });
    }

    /// <summary>Accuracy against depth (rows) and breadth/aggregation (columns), then halting and residual rows.</summary>
    public static Table Table(EvaluationReport report, int trainingDepth)
    {
        var columns = report.Curve.Select(p => (p.Breadth, p.Aggregation)).Distinct().ToList();
        var table = new Table().Title($"{report.Task}: accuracy at test size {report.TestSize} (training depth {trainingDepth})");
        table.AddColumn("depth D");
        foreach (var (b, rule) in columns) table.AddColumn(new TableColumn(b == 1 ? "B=1" : $"B={b} {rule}").RightAligned());
        foreach (var depth in report.Curve.Select(p => p.Depth).Distinct().Order())
            table.AddRow([depth.ToString(), .. columns.Select(c =>
                report.Curve.FirstOrDefault(p => p.Depth == depth && p.Breadth == c.Breadth && p.Aggregation == c.Aggregation) is { } p
                    ? $"{p.Accuracy:P1}" : "")]);
        table.AddEmptyRow();
        table.AddRow([$"halting (head)", $"{report.Halting.Accuracy:P1}, {report.Halting.MeanSteps:F1} steps", .. columns.Skip(1).Select(_ => "")]);
        table.AddRow([$"halting (residual)", $"{report.HaltingOnResidual.Accuracy:P1}, {report.HaltingOnResidual.MeanSteps:F1} steps", .. columns.Skip(1).Select(_ => "")]);
        table.AddRow([$"residual correct / wrong", $"{report.ResidualCorrect:G3} / {report.ResidualWrong:G3}", .. columns.Skip(1).Select(_ => "")]);
        return table;
    }

    static readonly Lazy<bool> FontLoaded = new(() =>
    {
        // SkiaSharp's self-contained Linux build does not ask fontconfig, so give ScottPlot a font file explicitly.
        string[] candidates = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "C:/Windows/Fonts/arial.ttf", "/System/Library/Fonts/Supplemental/Arial.ttf"];
        var file = candidates.FirstOrDefault(File.Exists);
        if (file is null) return false;
        ScottPlot.Fonts.AddFontFile("TtcPlotSans", file);
        ScottPlot.Fonts.Default = "TtcPlotSans";
        return true;
    });

    /// <summary>accuracy_vs_depth.png and accuracy_vs_breadth.png in `directory`.</summary>
    public static IReadOnlyList<string> Plots(EvaluationReport report, string directory)
    {
        if (!FontLoaded.Value) Console.Error.WriteLine("ttc: no DejaVu Sans font found (apt-get install fonts-dejavu-core); plots have no text");
        Directory.CreateDirectory(directory);
        var depthPlot = new ScottPlot.Plot();
        foreach (var group in report.Curve.GroupBy(p => (p.Breadth, p.Aggregation)))
        {
            var points = group.OrderBy(p => p.Depth).ToArray();
            var line = depthPlot.Add.Scatter(points.Select(p => Math.Log2(p.Depth)).ToArray(), points.Select(p => p.Accuracy).ToArray());
            line.LegendText = group.Key.Breadth == 1 ? "B=1" : $"B={group.Key.Breadth} {group.Key.Aggregation}";
        }
        depthPlot.Title($"{report.Task}: accuracy vs depth (size {report.TestSize})");
        depthPlot.XLabel("log2 depth D");
        depthPlot.YLabel("exact-match accuracy");
        depthPlot.ShowLegend();
        var depthPath = Path.Combine(directory, "accuracy_vs_depth.png");
        depthPlot.SavePng(depthPath, 800, 500);

        var maxDepth = report.Curve.Max(p => p.Depth);
        var breadthPlot = new ScottPlot.Plot();
        foreach (var rule in report.Curve.Where(p => p.Aggregation != "single").Select(p => p.Aggregation).Distinct())
        {
            var points = report.Curve.Where(p => p.Depth == maxDepth && (p.Aggregation == rule || p.Breadth == 1)).OrderBy(p => p.Breadth).ToArray();
            var line = breadthPlot.Add.Scatter(points.Select(p => (double)p.Breadth).ToArray(), points.Select(p => p.Accuracy).ToArray());
            line.LegendText = rule;
        }
        breadthPlot.Title($"{report.Task}: accuracy vs breadth at depth {maxDepth}");
        breadthPlot.XLabel("breadth B (restarts)");
        breadthPlot.YLabel("exact-match accuracy");
        breadthPlot.ShowLegend();
        var breadthPath = Path.Combine(directory, "accuracy_vs_breadth.png");
        breadthPlot.SavePng(breadthPath, 800, 500);
        return [depthPath, breadthPath];
    }
}
