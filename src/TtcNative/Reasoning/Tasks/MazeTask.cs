using static TorchSharp.torch;

namespace TtcNative.Reasoning.Tasks;

/// <summary>
/// Perfect mazes (DESIGN.md §6): input channels wall / open / start / goal, answer the path mask, 2-D conv block.
/// Trained at k = trainSize cells (9), tested at larger k (15, 21). With minTrainSize below trainSize, each training
/// batch draws its k from minTrainSize..trainSize (a curriculum of smaller mazes; docs/REASONING.md).
/// </summary>
public sealed class MazeTask : IReasoningTask
{
    readonly int _trainSize, _testSize, _minTrainSize;

    public MazeTask(int trainSize = 9, int testSize = 15, int? minTrainSize = null)
    {
        _trainSize = trainSize;
        _testSize = testSize;
        _minTrainSize = minTrainSize ?? trainSize;
        if (_minTrainSize < 2 || _minTrainSize > trainSize)
            throw new ArgumentOutOfRangeException(nameof(minTrainSize), _minTrainSize,
                $"the smallest training maze must have from 2 to {trainSize} cells a side (the training size)");
    }

    public string Name => "maze";
    public int InputChannels => 4;
    public int Classes => 2;
    public BlockKind DefaultBlock => BlockKind.Conv2d;

    public TaskBatch TrainingBatch(int batchSize, Random rng) =>
        TestBatch(batchSize, Curriculum.Draw(rng, _minTrainSize, _trainSize), rng);

    public TaskBatch TestBatch(int count, int? size, Random rng) =>
        FromMazes(Enumerable.Range(0, count).Select(_ => Maze.Generate(size ?? _testSize, rng)).ToList());

    public static TaskBatch FromMazes(IReadOnlyList<Maze> mazes)
    {
        var size = mazes[0].Size;
        if (mazes.Any(m => m.Size != size)) throw new ArgumentException("all mazes of a batch must have the same size", nameof(mazes));
        var inputs = new int[mazes.Count * size * size];
        var targets = new long[mazes.Count * size * size];
        for (var b = 0; b < mazes.Count; ++b)
        {
            var m = mazes[b];
            var path = m.Solution();
            for (var r = 0; r < size; ++r)
            for (var c = 0; c < size; ++c)
            {
                var k = (b * size + r) * size + c;
                inputs[k] = (r, c) == m.Start ? 2 : (r, c) == m.Goal ? 3 : m.Open[r, c] ? 1 : 0;
                targets[k] = path[r, c] ? 1 : 0;
            }
        }
        return new TaskBatch(OneHot.ChannelsFirst(inputs, [mazes.Count, size, size], 4),
            tensor(targets, dtype: ScalarType.Int64).reshape(mazes.Count, size, size), mazes[0].Cells);
    }

    /// <summary>The file format: mazes rendered as text ('#', ' ', 'S', 'G', '*' for the path), separated by blank lines.</summary>
    public static void Write(TextWriter writer, IEnumerable<Maze> mazes)
    {
        foreach (var m in mazes)
        {
            foreach (var row in m.Render(m.Solution())) writer.WriteLine(row);
            writer.WriteLine();
        }
    }

    /// <summary>Reads mazes; a marked path ('*') must be the unique shortest path.</summary>
    public static List<Maze> Read(TextReader reader, string source)
    {
        var mazes = new List<Maze>();
        var rows = new List<string>();
        var lineNumber = 0;
        void Flush()
        {
            if (rows.Count == 0) return;
            try
            {
                var maze = Maze.Parse(rows);
                if (rows.Any(r => r.Contains('*')))
                {
                    var mask = new bool[maze.Size, maze.Size];
                    for (var r = 0; r < maze.Size; ++r)
                    for (var c = 0; c < maze.Size; ++c) mask[r, c] = rows[r][c] is '*' or 'S' or 'G';
                    if (!maze.Verify(mask)) throw new InvalidDataException("the marked path is not the shortest path");
                }
                mazes.Add(maze);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{source}: maze ending at line {lineNumber}: {e.Message}");
            }
            rows.Clear();
        }
        for (var line = reader.ReadLine(); line != null; line = reader.ReadLine())
        {
            ++lineNumber;
            if (line.Length == 0) Flush();
            else rows.Add(line);
        }
        Flush();
        return mazes;
    }
}
