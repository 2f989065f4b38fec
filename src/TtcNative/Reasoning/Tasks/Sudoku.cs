namespace TtcNative.Reasoning.Tasks;

/// <summary>A 9x9 Sudoku puzzle and its solution, 81 digits each in row order (0 = blank in the question).</summary>
public sealed record SudokuPuzzle(string Source, int[] Question, int[] Answer, int Rating)
{
    public int Givens => Question.Count(d => d != 0);
}

/// <summary>Solving, counting solutions, generating with a uniqueness check, augmenting and verifying 9x9 Sudoku.</summary>
public static class Sudoku
{
    static int Box(int cell) => cell / 27 * 3 + cell % 9 / 3;

    /// <summary>The three partitions of the 81 cells that the rules constrain: rows, columns and boxes.</summary>
    public static IReadOnlyList<int[]> ConstraintGroups { get; } =
    [
        Enumerable.Range(0, 81).Select(i => i / 9).ToArray(),
        Enumerable.Range(0, 81).Select(i => i % 9).ToArray(),
        Enumerable.Range(0, 81).Select(Box).ToArray(),
    ];

    /// <summary>Counts solutions up to `limit`, writing the first into `solution` when one exists.</summary>
    public static int CountSolutions(int[] grid, int limit = 2, int[]? solution = null, Random? rng = null)
    {
        var cells = (int[])grid.Clone();
        int[] rows = new int[9], cols = new int[9], boxes = new int[9];
        for (var i = 0; i < 81; ++i)
        {
            var d = cells[i];
            if (d == 0) continue;
            var bit = 1 << d;
            if ((rows[i / 9] & bit) != 0 || (cols[i % 9] & bit) != 0 || (boxes[Box(i)] & bit) != 0) return 0;
            rows[i / 9] |= bit;
            cols[i % 9] |= bit;
            boxes[Box(i)] |= bit;
        }
        var found = 0;
        bool Search()
        {
            var best = -1;
            var bestCount = 10;
            var bestMask = 0;
            for (var i = 0; i < 81; ++i)
            {
                if (cells[i] != 0) continue;
                var mask = ~(rows[i / 9] | cols[i % 9] | boxes[Box(i)]) & 0x3FE;
                var count = System.Numerics.BitOperations.PopCount((uint)mask);
                if (count < bestCount)
                {
                    (best, bestCount, bestMask) = (i, count, mask);
                    if (count <= 1) break;
                }
            }
            if (best < 0)
            {
                if (found++ == 0 && solution != null) Array.Copy(cells, solution, 81);
                return found >= limit;
            }
            var digits = Enumerable.Range(1, 9).Where(d => (bestMask & (1 << d)) != 0).ToArray();
            if (rng != null) rng.Shuffle(digits);
            foreach (var d in digits)
            {
                var bit = 1 << d;
                cells[best] = d;
                rows[best / 9] |= bit;
                cols[best % 9] |= bit;
                boxes[Box(best)] |= bit;
                if (Search()) return true;
                rows[best / 9] &= ~bit;
                cols[best % 9] &= ~bit;
                boxes[Box(best)] &= ~bit;
            }
            cells[best] = 0;
            return false;
        }
        Search();
        return found;
    }

    /// <summary>No puzzle with fewer givens has a unique solution (McGuire, Tugemann and Civario, 2012).</summary>
    public const int MinGivens = 17;

    /// <summary>
    /// A random puzzle with a unique solution: fill a random grid, then blank cells in random order while the solution
    /// stays unique, down to `targetGivens` (or as far as uniqueness allows). A unique solution needs at least
    /// <see cref="MinGivens"/> givens.
    /// </summary>
    public static SudokuPuzzle Generate(Random rng, int targetGivens = 36)
    {
        if (targetGivens is < MinGivens or > 81)
            throw new ArgumentOutOfRangeException(nameof(targetGivens), targetGivens,
                $"a Sudoku puzzle with a unique solution has {MinGivens} to 81 givens");
        var solution = new int[81];
        CountSolutions(new int[81], 1, solution, rng);
        var question = (int[])solution.Clone();
        var order = Enumerable.Range(0, 81).ToArray();
        rng.Shuffle(order);
        var givens = 81;
        foreach (var cell in order)
        {
            if (givens <= targetGivens) break;
            var keep = question[cell];
            question[cell] = 0;
            if (CountSolutions(question) != 1) question[cell] = keep;
            else --givens;
        }
        return new SudokuPuzzle("generator", question, solution, 0);
    }

    /// <summary>Is `answer` a complete valid grid that agrees with every given of `question`?</summary>
    public static bool Verify(int[] question, int[] answer)
    {
        if (question.Length != 81 || answer.Length != 81) return false;
        for (var i = 0; i < 81; ++i)
            if (answer[i] is < 1 or > 9 || (question[i] != 0 && question[i] != answer[i])) return false;
        for (var u = 0; u < 9; ++u)
        {
            int row = 0, col = 0, box = 0;
            for (var k = 0; k < 9; ++k)
            {
                row |= 1 << answer[u * 9 + k];
                col |= 1 << answer[k * 9 + u];
                box |= 1 << answer[(u / 3 * 3 + k / 3) * 9 + u % 3 * 3 + k % 3];
            }
            if (row != 0x3FE || col != 0x3FE || box != 0x3FE) return false;
        }
        return true;
    }

    /// <summary>
    /// The Sudoku-Extreme augmentations, applied identically to question and answer: a digit permutation, an optional
    /// transpose, and shuffles of bands, rows within bands, stacks and columns within stacks.
    /// </summary>
    public static SudokuPuzzle Augment(SudokuPuzzle p, Random rng)
    {
        var digits = Enumerable.Range(1, 9).ToArray();
        rng.Shuffle(digits);
        var transpose = rng.Next(2) == 1;
        int[] Order()
        {
            var bands = new[] { 0, 1, 2 };
            rng.Shuffle(bands);
            return bands.SelectMany(b =>
            {
                var inner = new[] { 0, 1, 2 };
                rng.Shuffle(inner);
                return inner.Select(i => b * 3 + i);
            }).ToArray();
        }
        var rowOrder = Order();
        var colOrder = Order();
        int[] Map(int[] grid)
        {
            var result = new int[81];
            for (var r = 0; r < 9; ++r)
            for (var c = 0; c < 9; ++c)
            {
                var (sr, sc) = (rowOrder[r], colOrder[c]);
                var v = transpose ? grid[sc * 9 + sr] : grid[sr * 9 + sc];
                result[r * 9 + c] = v == 0 ? 0 : digits[v - 1];
            }
            return result;
        }
        return p with { Question = Map(p.Question), Answer = Map(p.Answer) };
    }

    public static int[] ParseGrid(string text, string what)
    {
        if (text.Length != 81) throw new InvalidDataException($"{what} must have 81 characters, got {text.Length}");
        return text.Select(ch => ch switch
        {
            '.' or '0' => 0,
            >= '1' and <= '9' => ch - '0',
            _ => throw new InvalidDataException($"{what} has the character '{ch}'; expected 1-9, '.' or '0'"),
        }).ToArray();
    }

    public static string Format(int[] grid, bool dots = true) =>
        string.Concat(grid.Select(d => d == 0 ? (dots ? '.' : '0') : (char)('0' + d)));
}
