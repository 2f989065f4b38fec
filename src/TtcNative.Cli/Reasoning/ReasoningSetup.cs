using TtcNative.Interop;
using TtcNative.Reasoning;
using TtcNative.Reasoning.Tasks;
using static TorchSharp.torch;

namespace TtcNative.Cli.Reasoning;

/// <summary>Shared setup of the reasoning commands: seeds and threads, task construction, and dataset files.</summary>
public static class ReasoningSetup
{
    /// <summary>Runs are reproducible from a seed and a thread count.</summary>
    public static void Seed(int seed, int threads)
    {
        if (threads < 1) throw new InputError($"--threads must be >= 1, got {threads}");
        manual_seed(seed);
        set_num_threads(threads);
        TtcLibrary.ThreadCount = threads;
    }

    public static TaskSpec Spec(string task)
    {
        if (!TaskRegistry.Names.Contains(task))
            throw new InputError($"unknown task '{task}'; expected one of {string.Join(", ", TaskRegistry.Names)}");
        return new TaskSpec(task, []);
    }

    /// <summary>The task, with training and test sets read from files where given (Sudoku).</summary>
    public static IReasoningTask Create(TaskSpec spec, string? trainFile = null, string? testFile = null) =>
        spec.Name != "sudoku"
            ? TaskRegistry.Create(spec)
            : TaskRegistry.Create(spec, trainFile is null ? null : ReadSudoku(trainFile), testFile is null ? null : ReadSudoku(testFile));

    public static List<SudokuPuzzle> ReadSudoku(string path) => Read(path, r => SudokuFormat.Read(r, path));

    /// <summary>--size, checked for the task: a parity length >= 1, a maze of k >= 2 cells a side, or 17..81 Sudoku givens.</summary>
    public static int? Size(string task, int? size)
    {
        if (size is not int value) return null;
        var (valid, rule) = task switch
        {
            "parity" => (value >= 1, "a parity length >= 1"),
            "maze" => (value >= 2, "a maze size k >= 2 (k x k cells)"),
            _ => (value is >= Sudoku.MinGivens and <= 81, $"a number of Sudoku givens from {Sudoku.MinGivens} to 81"),
        };
        return valid ? value : throw new InputError($"--size must be {rule}, got {value}");
    }

    /// <summary>
    /// The task to train, with --min-size (mazes only: the smallest k of a training batch, up to the training size) and
    /// --min-givens (Sudoku only: the fewest givens of a generated training puzzle, up to the training givens).
    /// </summary>
    public static TaskSpec TrainingSpec(string task, int? minSize, int? minGivens = null, string? trainFile = null)
    {
        var spec = Spec(task);
        var parameters = new Dictionary<string, int>(spec.Parameters);
        if (minSize is int k)
        {
            if (spec.Name != "maze") throw new InputError($"--min-size applies to the maze task only, not {spec.Name}");
            var trainSize = spec.Get("train_size", 9);
            if (k < 2 || k > trainSize)
                throw new InputError($"--min-size must be a maze size k from 2 to {trainSize} (the training size), got {k}");
            parameters["min_train_size"] = k;
        }
        if (minGivens is int g)
        {
            if (spec.Name != "sudoku") throw new InputError($"--min-givens applies to the sudoku task only, not {spec.Name}");
            if (trainFile is not null)
                throw new InputError($"--min-givens applies to generated training puzzles; with --data the puzzles come from {trainFile}");
            if (g is < Sudoku.MinGivens or > SudokuTask.TrainGivens)
                throw new InputError($"--min-givens must be from {Sudoku.MinGivens} to {SudokuTask.TrainGivens} (the training givens), got {g}");
            parameters["min_train_givens"] = g;
        }
        return spec with { Parameters = parameters };
    }

    /// <summary>A test batch from a file (parity CSV, maze text, Sudoku CSV), or generated from the seed (size: see Size).</summary>
    public static TaskBatch TestBatch(IReasoningTask task, string? file, int count, int? size, int seed)
    {
        if (file is null) return task.TestBatch(count, size, new Random(seed + 104_729));
        return task.Name switch
        {
            "parity" => ParityTask.FromExamples(Read(file, r => ParityTask.Read(r, file)).Take(count).ToList()),
            "maze" => MazeTask.FromMazes(Read(file, r => MazeTask.Read(r, file)).Take(count).ToList()),
            _ => SudokuTask.FromPuzzles(ReadSudoku(file).Take(count).ToList()),
        };
    }

    static T Read<T>(string path, Func<TextReader, T> read)
    {
        try
        {
            using var reader = new StreamReader(path);
            return read(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InputError(e is InvalidDataException ? e.Message : $"cannot read dataset '{path}': {e.Message}");
        }
    }

    public static T AtLeastOne<T>(T value, string option) where T : System.Numerics.INumber<T> =>
        value >= T.One ? value : throw new InputError($"{option} must be >= 1, got {value}");

    /// <summary>A time budget in seconds: finite, > 0, and within what a TimeSpan holds.</summary>
    public static double Seconds(double value, string option) =>
        double.IsFinite(value) && value > 0 && value < TimeSpan.MaxValue.TotalSeconds
            ? value
            : throw new InputError($"{option} must be a number of seconds > 0, got {value}");

    public static double PositiveNumber(double value, string option) =>
        double.IsFinite(value) && value > 0 ? value : throw new InputError($"{option} must be a finite number > 0, got {value}");

    public static double NonNegativeNumber(double value, string option) =>
        double.IsFinite(value) && value >= 0 ? value : throw new InputError($"{option} must be a finite number >= 0, got {value}");

    public static int[] ParseList(string text, string option)
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            if (values.Length == 0 || values.Any(v => v < 1)) throw new FormatException();
            return values;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InputError($"{option} must be a comma-separated list of positive integers, got '{text}'");
        }
    }
}
