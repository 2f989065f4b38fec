using TtcNative.Cli;
using Xunit;

namespace TtcNative.Tests.Reasoning;

/// <summary>`ttc train` / `eval` / `data`: bad input is one line and exit code 2; a short run works end to end.</summary>
public sealed class CliReasoningTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ttc-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    static void OneLine(string err) => Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The command exits with 2 and one error line that says `says`.</summary>
    void RefusedInOneLine(string says, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(says, err);
        OneLine(err);
    }

    [Fact]
    public void BadOptionsUnreadableDataAndCorruptCheckpointsExitWithTwo()
    {
        var model = Path.Combine(_dir, "m.bin");
        RefusedInOneLine("unknown task 'chess'", "train", "chess", "--out", model);

        var (code, _, err) = Run("train", "parity", "--out", model, "--batch", "0");
        Assert.Equal(2, code);
        Assert.Contains("--batch must be >= 1", err);

        // Numbers that would train nothing, or train on NaN, are refused before a checkpoint is written.
        foreach (var (option, value, says) in new[]
                 {
                     ("--steps", "0", "--steps must be >= 1"), ("--steps", "-3", "--steps must be >= 1"),
                     ("--seconds", "0", "--seconds must be a number of seconds > 0"),
                     ("--seconds", "NaN", "--seconds must be a number of seconds > 0"),
                     ("--seconds", "1e300", "--seconds must be a number of seconds > 0"),
                     ("--lr", "0", "--lr must be a finite number > 0"), ("--lr", "NaN", "--lr must be a finite number > 0"),
                 })
        {
            RefusedInOneLine(says, "train", "parity", "--out", model, option, value);
            Assert.False(File.Exists(model), $"{option} {value} wrote a checkpoint");
        }

        (code, _, err) = Run("train", "parity", "--out", model, "--arm", "bogus");
        Assert.Equal(2, code);
        OneLine(err);

        File.WriteAllText(model, "garbage");
        RefusedInOneLine("not a TtcNative checkpoint", "eval", "parity", "--model", model);

        (code, _, err) = Run("train", "sudoku", "--out", model, "--data", Path.Combine(_dir, "missing.csv"));
        Assert.Equal(2, code);
        Assert.Contains("cannot read dataset", err);

        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "source,question,answer,rating\nx,123,456,1\n");
        RefusedInOneLine("line 2", "train", "sudoku", "--out", model, "--data", bad);

        (code, _, err) = Run("eval", "parity", "--model", model, "--depth", "1,x");
        Assert.Equal(2, code);
        Assert.Contains("--depth", err);

        RefusedInOneLine("--breadth must be a comma-separated list of positive integers",
            "eval", "parity", "--model", model, "--breadth", "99999999999");
        RefusedInOneLine("--residual-threshold must be a finite number >= 0",
            "eval", "parity", "--model", model, "--residual-threshold", "-1");
    }

    [Fact]
    public void SizesWithoutAnExampleAreRefusedInOneLine()
    {
        var file = Path.Combine(_dir, "d.txt");
        foreach (var (task, size, says) in new[]
                 {
                     ("parity", "0", "--size must be a parity length >= 1, got 0"),
                     ("maze", "1", "--size must be a maze size k >= 2"),
                     ("sudoku", "90", "--size must be a number of Sudoku givens from 17 to 81, got 90"),
                     ("sudoku", "16", "--size must be a number of Sudoku givens from 17 to 81, got 16"),
                 })
        {
            RefusedInOneLine(says, "data", task, "--out", file, "--count", "2", "--size", size);
            Assert.False(File.Exists(file));
        }
        var model = Path.Combine(_dir, "m.bin");
        RefusedInOneLine("--min-size must be a maze size k from 2 to 9 (the training size), got 10",
            "train", "maze", "--out", model, "--min-size", "10");
        RefusedInOneLine("--min-size applies to the maze task only, not parity", "train", "parity", "--out", model, "--min-size", "5");
        RefusedInOneLine("--min-givens must be from 17 to 36 (the training givens), got 40",
            "train", "sudoku", "--out", model, "--min-givens", "40");
        RefusedInOneLine("--min-givens applies to the sudoku task only, not maze", "train", "maze", "--out", model, "--min-givens", "30");
        RefusedInOneLine("--min-givens applies to generated training puzzles; with --data the puzzles come from p.csv",
            "train", "sudoku", "--out", model, "--min-givens", "30", "--data", "p.csv");
        Assert.False(File.Exists(model));
        RefusedInOneLine("--size must be a parity length >= 1, got -1",
            "eval", "parity", "--model", Path.Combine(_dir, "none.bin"), "--size", "-1");
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileAndLeavesNoTemporary()
    {
        var file = Path.Combine(_dir, "puzzles.csv");
        File.WriteAllText(file, "the old file");
        // The grade is checked while the file is being written.
        var (code, _, err) = Run("data", "sudoku", "--out", file, "--count", "2", "--qqwing", "bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown qqwing grade 'bogus'", err);
        Assert.Equal("the old file", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(_dir));

        var blocked = Path.Combine(_dir, "puzzles.csv", "d.txt");  // its folder is a file
        (code, _, err) = Run("data", "parity", "--out", blocked, "--count", "2");
        Assert.Equal(1, code);
        Assert.Contains($"cannot write '{blocked}'", err);
        OneLine(err);
        Assert.Equal([file], Directory.GetFiles(_dir));
    }

    [Fact]
    public void ShortTrainThenEvalWritesCheckpointJsonAndPlots()
    {
        var model = Path.Combine(_dir, "p.bin");
        var (code, output, err) = Run("train", "parity", "--out", model, "--steps", "3", "--batch", "8", "--width", "8", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("trained 3 steps", output);
        var json = Path.Combine(_dir, "e.json");
        (code, output, err) = Run("eval", "parity", "--model", model, "--depth", "2,4", "--breadth", "1,2", "--size", "12",
            "--count", "4", "--json", json, "--plots", _dir, "--threads", "1", "--records", Path.Combine(_dir, "r.jsonl"));
        Assert.True(code == 0, err);
        var records = File.ReadAllLines(Path.Combine(_dir, "r.jsonl"));
        Assert.Equal(4, records.Length);
        Assert.Contains("\"residual_trace\":[", records[0]);
        Assert.Contains("\"chosen_restart\":", records[0]);
        var text = File.ReadAllText(json);
        Assert.Contains("\"training_depth\": 40", text);
        Assert.Contains("\"aggregation\": \"vote\"", text);
        Assert.True(new FileInfo(Path.Combine(_dir, "accuracy_vs_depth.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(_dir, "accuracy_vs_breadth.png")));

        (code, output, _) = Run("train", "parity", "--out", model, "--steps", "5", "--resume", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("resuming", output);
        Assert.Contains("trained 5 steps", output);
    }

    [Fact]
    public void DataCommandWritesVerifiableFiles()
    {
        foreach (var (task, extra) in new[] { ("parity", "--size=20"), ("maze", "--size=5"), ("sudoku", "--size=34") })
        {
            var file = Path.Combine(_dir, task + ".txt");
            var (code, _, err) = Run("data", task, "--out", file, "--count", "3", extra);
            Assert.True(code == 0, err);
            (code, _, err) = Run("data", task, "--out", file + ".2", "--count", "3", extra);
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(file + ".2"));
        }
        var q = Path.Combine(_dir, "q.csv");
        Assert.Equal(0, Run("data", "sudoku", "--out", q, "--count", "2", "--qqwing", "simple").Code);
        Assert.Contains("qqwing-simple", File.ReadAllText(q));
    }
}
