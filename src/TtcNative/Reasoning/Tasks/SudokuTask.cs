using static TorchSharp.torch;

namespace TtcNative.Reasoning.Tasks;

/// <summary>
/// Sudoku 9x9 (DESIGN.md §6): 81 tokens, input classes blank + 1..9, answer digits, a group-mixer block (an MLP-mixer
/// whose token mixing runs within the rows, columns and boxes; the plain mixer solved no grid). Training draws
/// from a puzzle set (augmented every time) or, without one, from the built-in generator with TrainGivens givens, or
/// with a number drawn from minTrainGivens..TrainGivens per puzzle (fewer givens make harder puzzles).
/// </summary>
public sealed class SudokuTask : IReasoningTask
{
    /// <summary>The givens of a generated training puzzle, and the most that minTrainGivens may be.</summary>
    public const int TrainGivens = 36;

    readonly IReadOnlyList<SudokuPuzzle>? training, test;
    readonly int _minTrainGivens;

    public SudokuTask(IReadOnlyList<SudokuPuzzle>? training = null, IReadOnlyList<SudokuPuzzle>? test = null,
        int minTrainGivens = TrainGivens)
    {
        if (minTrainGivens is < Sudoku.MinGivens or > TrainGivens)
            throw new ArgumentOutOfRangeException(nameof(minTrainGivens), minTrainGivens,
                $"the fewest givens of a training puzzle must be from {Sudoku.MinGivens} to {TrainGivens}");
        (this.training, this.test, _minTrainGivens) = (training, test, minTrainGivens);
    }

    public string Name => "sudoku";
    public int InputChannels => 10;
    public int Classes => 9;
    public BlockKind DefaultBlock => BlockKind.GroupMixer;
    public int Tokens => 81;

    public TaskBatch TrainingBatch(int batchSize, Random rng) =>
        FromPuzzles(Enumerable.Range(0, batchSize).Select(_ => Sudoku.Augment(Draw(training, rng, Curriculum.Draw(rng, _minTrainGivens, TrainGivens)), rng)).ToList());

    public TaskBatch TestBatch(int count, int? size, Random rng) =>
        FromPuzzles(test is { Count: > 0 }
            ? test.Take(count).ToList()
            : Enumerable.Range(0, count).Select(_ => Sudoku.Generate(rng, size ?? 28)).ToList());

    static SudokuPuzzle Draw(IReadOnlyList<SudokuPuzzle>? pool, Random rng, int givens) =>
        pool is { Count: > 0 } ? pool[rng.Next(pool.Count)] : Sudoku.Generate(rng, givens);

    public static TaskBatch FromPuzzles(IReadOnlyList<SudokuPuzzle> puzzles)
    {
        var inputs = puzzles.SelectMany(p => p.Question).ToArray();
        var targets = puzzles.SelectMany(p => p.Answer.Select(d => (long)(d - 1))).ToArray();
        return new TaskBatch(OneHot.ChannelsFirst(inputs, [puzzles.Count, 81], 10),
            tensor(targets, dtype: ScalarType.Int64).reshape(puzzles.Count, 81), 81);
    }
}
