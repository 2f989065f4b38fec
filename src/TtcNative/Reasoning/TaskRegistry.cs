using TtcNative.Reasoning.Tasks;

namespace TtcNative.Reasoning;

/// <summary>A task and its parameters, as stored in checkpoints and named on the command line.</summary>
public sealed record TaskSpec(string Name, Dictionary<string, int> Parameters)
{
    public int Get(string key, int fallback) => Parameters.TryGetValue(key, out var v) ? v : fallback;
}

public static class TaskRegistry
{
    public static IReadOnlyList<string> Names { get; } = ["parity", "maze", "sudoku"];

    /// <summary>The task of a spec; Sudoku trains on, or tests with, the given puzzle sets when there are any.</summary>
    public static IReasoningTask Create(TaskSpec spec, IReadOnlyList<SudokuPuzzle>? sudokuTraining = null,
        IReadOnlyList<SudokuPuzzle>? sudokuTest = null) => spec.Name switch
    {
        "parity" => new ParityTask(spec.Get("min_length", 16), spec.Get("max_length", 32), spec.Get("test_length", 256)),
        "maze" => new MazeTask(spec.Get("train_size", 9), spec.Get("test_size", 15),
            spec.Get("min_train_size", spec.Get("train_size", 9))),
        "sudoku" => new SudokuTask(sudokuTraining, sudokuTest, spec.Get("min_train_givens", SudokuTask.TrainGivens)),
        _ => throw new ArgumentException($"unknown task '{spec.Name}'; expected one of {string.Join(", ", Names)}", nameof(spec)),
    };

    /// <summary>The partitions of a task's tokens that a group-mixer block mixes within (Sudoku's rows, columns, boxes).</summary>
    public static IReadOnlyList<int[]> TokenGroups(string task) => task switch
    {
        "sudoku" => Sudoku.ConstraintGroups,
        _ => throw new ArgumentException($"the group-mixer block needs a task with groups of tokens (sudoku), not '{task}'", nameof(task)),
    };
}
