using TtcNative.Reasoning.Tasks;
using Xunit;

namespace TtcNative.Tests.Reasoning;

public class ParityTaskTests
{
    [Fact]
    public void PrefixParityAndItsVerifier()
    {
        var bits = new[] { true, false, true, true, false };
        Assert.Equal(new[] { true, true, false, true, true }, ParityTask.PrefixParity(bits));
        Assert.True(ParityTask.Verify(bits, ParityTask.PrefixParity(bits)));
        var wrong = ParityTask.PrefixParity(bits);
        wrong[3] = !wrong[3];
        Assert.False(ParityTask.Verify(bits, wrong));
    }

    [Fact]
    public void FileRoundTripsAndRejectsWrongTargets()
    {
        var rng = new Random(3);
        var sequences = Enumerable.Range(0, 20).Select(i => ParityTask.RandomBits(5 + i, rng)).ToList();
        var writer = new StringWriter();
        ParityTask.Write(writer, sequences);
        var back = ParityTask.Read(new StringReader(writer.ToString()), "mem");
        Assert.Equal(sequences.Select(s => string.Concat(s)), back.Select(s => string.Concat(s)));
        var e = Assert.Throws<InvalidDataException>(() => ParityTask.Read(new StringReader("input,target\n0110,0101\n"), "bad.csv"));
        Assert.Contains("bad.csv: line 2", e.Message);
    }

    [Fact]
    public void BatchesHaveTheTrainingLengthsAndCorrectTargets()
    {
        var task = new ParityTask();
        var rng = new Random(5);
        for (var i = 0; i < 20; ++i)
        {
            var batch = task.TrainingBatch(4, rng);
            Assert.InRange(batch.Size, 16, 32);
            Assert.Equal(new long[] { 4, 2, batch.Size }, batch.Inputs.shape);
            var bits = batch.Inputs.argmax(1).data<long>().ToArray();
            var targets = batch.Targets.data<long>().ToArray();
            for (var b = 0; b < 4; ++b)
            {
                var seq = bits.Skip(b * batch.Size).Take(batch.Size).Select(v => v == 1).ToArray();
                Assert.True(ParityTask.Verify(seq, targets.Skip(b * batch.Size).Take(batch.Size).Select(v => v == 1).ToArray()));
            }
        }
    }
}

public class MazeTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(21)]
    public void EveryGeneratedMazeIsPerfectWithExactlyOneShortestPath(int cells)
    {
        var rng = new Random(cells);
        for (var i = 0; i < 25; ++i)
        {
            var maze = Maze.Generate(cells, rng);
            var (distance, count) = maze.ShortestPaths();
            Assert.Equal(1, count[maze.Goal.Row, maze.Goal.Col]);
            var open = 0;
            for (var r = 0; r < maze.Size; ++r)
            for (var c = 0; c < maze.Size; ++c)
                if (maze.Open[r, c])
                {
                    ++open;
                    Assert.True(distance[r, c] >= 0, "every open square is reachable");
                }
            Assert.Equal(2 * cells * cells - 1, open);  // k^2 cells and the k^2 - 1 passages of a spanning tree
            Assert.True(maze.Verify(maze.Solution()));
        }
    }

    /// <summary>
    /// Training batches: every one at k = 9 by default; with a smallest size (the curriculum of docs/REASONING.md), each
    /// batch at one k drawn from that size to 9, every such k turning up, with targets that verify.
    /// </summary>
    [Fact]
    public void TrainingBatchesHaveTheTrainingSizeOrTheCurriculumsSizes()
    {
        var rng = new Random(3);
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(9, new MazeTask().TrainingBatch(2, rng).Size));
        var curriculum = new MazeTask(minTrainSize: 5);
        var sizes = Enumerable.Range(0, 200).Select(_ =>
        {
            var batch = curriculum.TrainingBatch(2, rng);
            Assert.Equal(new long[] { 2, 2 * batch.Size + 1, 2 * batch.Size + 1 }, batch.Targets.shape);
            return batch.Size;
        }).ToHashSet();
        Assert.Equal(new[] { 5, 6, 7, 8, 9 }, sizes.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MazeTask(minTrainSize: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MazeTask(minTrainSize: 1));
    }

    [Fact]
    public void VerifierRejectsAnyOtherMaskAndTheFileRoundTrips()
    {
        var rng = new Random(1);
        var mazes = Enumerable.Range(0, 5).Select(_ => Maze.Generate(6, rng)).ToList();
        var wrong = mazes[0].Solution();
        wrong[1, 1] = !wrong[1, 1];
        Assert.False(mazes[0].Verify(wrong));
        var writer = new StringWriter();
        MazeTask.Write(writer, mazes);
        var back = MazeTask.Read(new StringReader(writer.ToString()), "mem");
        Assert.Equal(mazes.Select(m => string.Join("\n", m.Render())), back.Select(m => string.Join("\n", m.Render())));
        var text = writer.ToString();
        var broken = text[..text.IndexOf('*')] + ' ' + text[(text.IndexOf('*') + 1)..];
        Assert.Contains("not the shortest path", Assert.Throws<InvalidDataException>(() => MazeTask.Read(new StringReader(broken), "m.txt")).Message);
    }
}

public class SudokuTests
{
    [Fact]
    public void GeneratedPuzzlesHaveUniqueSolutionsThatVerify()
    {
        var rng = new Random(2);
        for (var i = 0; i < 10; ++i)
        {
            var p = Sudoku.Generate(rng, 30);
            Assert.Equal(1, Sudoku.CountSolutions(p.Question));
            Assert.True(Sudoku.Verify(p.Question, p.Answer));
            Assert.InRange(p.Givens, 17, 40);
            var bad = (int[])p.Answer.Clone();
            (bad[0], bad[1]) = (bad[1], bad[0]);
            Assert.False(Sudoku.Verify(p.Question, bad));
        }
    }

    [Fact]
    public void AugmentationsPreserveValidityAndUniqueness()
    {
        var rng = new Random(4);
        var p = Sudoku.Generate(rng, 28);
        for (var i = 0; i < 50; ++i)
        {
            var a = Sudoku.Augment(p, rng);
            Assert.True(Sudoku.Verify(a.Question, a.Answer));
            Assert.Equal(p.Givens, a.Givens);
            Assert.Equal(1, Sudoku.CountSolutions(a.Question));
        }
    }

    [Fact]
    public void CsvRoundTripsAndRejectsWrongAnswers()
    {
        var rng = new Random(6);
        var puzzles = Enumerable.Range(0, 4).Select(_ => Sudoku.Generate(rng, 32)).ToList();
        var writer = new StringWriter();
        SudokuFormat.Write(writer, puzzles);
        Assert.StartsWith("source,question,answer,rating\ngenerator,", writer.ToString().ReplaceLineEndings("\n"));
        var back = SudokuFormat.Read(new StringReader(writer.ToString()), "mem");
        Assert.Equal(puzzles.Select(p => Sudoku.Format(p.Answer)), back.Select(p => Sudoku.Format(p.Answer)));
        var lines = writer.ToString().ReplaceLineEndings("\n").Split('\n');
        var fields = lines[1].Split(',');
        fields[2] = fields[2][1..] + fields[2][0];
        var broken = lines[0] + "\n" + string.Join(",", fields) + "\n";
        Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => SudokuFormat.Read(new StringReader(broken), "s.csv")).Message);
    }

    [Fact]
    public void TrainingPuzzlesHaveFromTheFewestGivensTo36()
    {
        static IEnumerable<int> Givens(TtcNative.Reasoning.TaskBatch b) =>
            (81 - b.Inputs.select(1, 0).sum([1])).data<float>().Select(g => (int)g);     // channel 0 marks a blank
        var rng = new Random(5);
        Assert.All(Givens(new SudokuTask().TrainingBatch(20, rng)), g => Assert.Equal(SudokuTask.TrainGivens, g));
        var givens = Enumerable.Range(0, 10).SelectMany(_ => Givens(new SudokuTask(minTrainGivens: 30).TrainingBatch(20, rng))).ToList();
        Assert.All(givens, g => Assert.InRange(g, 30, SudokuTask.TrainGivens));
        Assert.Equal(Enumerable.Range(30, 7), givens.Distinct().Order());
        var batch = new SudokuTask(minTrainGivens: 30).TrainingBatch(8, rng);
        var answers = batch.Targets.data<long>().ToArray();
        var questions = batch.Inputs.argmax(1).data<long>().ToArray();
        for (var i = 0; i < 8; ++i)
            Assert.True(Sudoku.Verify(questions[(81 * i)..(81 * i + 81)].Select(d => (int)d).ToArray(),
                answers[(81 * i)..(81 * i + 81)].Select(d => (int)d + 1).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SudokuTask(minTrainGivens: SudokuTask.TrainGivens + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SudokuTask(minTrainGivens: Sudoku.MinGivens - 1));
    }

    [Fact]
    public void ConstraintGroupsAreTheRowsColumnsAndBoxes()
    {
        var groups = Sudoku.ConstraintGroups;
        Assert.Equal(3, groups.Count);
        foreach (var partition in groups)
            Assert.All(partition.GroupBy(g => g), group => Assert.Equal(9, group.Count()));
        // Two cells share a group exactly when they share a row, a column or a box; a generated solution is valid.
        var solution = Sudoku.Generate(new Random(8), 40).Answer;
        for (var i = 0; i < 81; ++i)
        for (var j = i + 1; j < 81; ++j)
        {
            var peers = groups.Any(p => p[i] == p[j]);
            Assert.Equal(peers, i / 9 == j / 9 || i % 9 == j % 9 || (i / 27 == j / 27 && i % 9 / 3 == j % 9 / 3));
        }
        Assert.True(Sudoku.Verify(new int[81], solution));
    }

    [Fact]
    public void QqwingImportStoresTheGradeAsRating()
    {
        var puzzles = SudokuFormat.FromQqwing(3, "easy");
        Assert.Equal(3, puzzles.Count);
        Assert.All(puzzles, p =>
        {
            Assert.Equal(2, p.Rating);
            Assert.Equal("qqwing-easy", p.Source);
            Assert.True(Sudoku.Verify(p.Question, p.Answer));
            Assert.Equal(1, Sudoku.CountSolutions(p.Question));
        });
        Assert.Throws<ArgumentException>(() => SudokuFormat.FromQqwing(1, "impossible"));
    }
}
