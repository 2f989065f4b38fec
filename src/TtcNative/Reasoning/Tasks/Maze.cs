namespace TtcNative.Reasoning.Tasks;

/// <summary>
/// A perfect maze (a spanning tree of the k x k cell graph, carved by random depth-first search) rendered as a
/// (2k+1) x (2k+1) grid: walls, open squares, a start and a goal. In a tree the path between two cells is unique, so
/// the answer, the mask of the shortest path, is unique too.
/// </summary>
public sealed class Maze
{
    public int Cells { get; }
    public int Size => 2 * Cells + 1;
    public bool[,] Open { get; }
    public (int Row, int Col) Start { get; }
    public (int Row, int Col) Goal { get; }

    public Maze(bool[,] open, (int, int) start, (int, int) goal)
    {
        if (open.GetLength(0) != open.GetLength(1) || open.GetLength(0) % 2 == 0)
            throw new ArgumentException("a maze grid must be square with an odd side", nameof(open));
        Open = open;
        Cells = (open.GetLength(0) - 1) / 2;
        Start = start;
        Goal = goal;
    }

    public static Maze Generate(int cells, Random rng)
    {
        if (cells < 2) throw new ArgumentOutOfRangeException(nameof(cells), cells, "a maze needs at least 2 x 2 cells");
        var size = 2 * cells + 1;
        var open = new bool[size, size];
        var visited = new bool[cells, cells];
        var stack = new Stack<(int R, int C)>();
        var first = (rng.Next(cells), rng.Next(cells));
        stack.Push(first);
        visited[first.Item1, first.Item2] = true;
        open[2 * first.Item1 + 1, 2 * first.Item2 + 1] = true;
        (int, int)[] moves = [(-1, 0), (1, 0), (0, -1), (0, 1)];
        while (stack.Count > 0)
        {
            var (r, c) = stack.Peek();
            var options = moves.Select(m => (R: r + m.Item1, C: c + m.Item2))
                .Where(n => n.R >= 0 && n.C >= 0 && n.R < cells && n.C < cells && !visited[n.R, n.C]).ToList();
            if (options.Count == 0)
            {
                stack.Pop();
                continue;
            }
            var next = options[rng.Next(options.Count)];
            visited[next.R, next.C] = true;
            open[r + next.R + 1, c + next.C + 1] = true;  // the wall between the two cells
            open[2 * next.R + 1, 2 * next.C + 1] = true;
            stack.Push(next);
        }
        var start = (2 * rng.Next(cells) + 1, 2 * rng.Next(cells) + 1);
        (int, int) goal;
        do goal = (2 * rng.Next(cells) + 1, 2 * rng.Next(cells) + 1);
        while (goal == start);
        return new Maze(open, start, goal);
    }

    /// <summary>Breadth-first search: the shortest-path length to every square and the number of shortest paths.</summary>
    public (int[,] Distance, long[,] Count) ShortestPaths()
    {
        var dist = new int[Size, Size];
        var count = new long[Size, Size];
        for (var r = 0; r < Size; ++r)
        for (var c = 0; c < Size; ++c) dist[r, c] = -1;
        var queue = new Queue<(int, int)>();
        dist[Start.Row, Start.Col] = 0;
        count[Start.Row, Start.Col] = 1;
        queue.Enqueue(Start);
        while (queue.Count > 0)
        {
            var (r, c) = queue.Dequeue();
            foreach (var (nr, nc) in new[] { (r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1) })
            {
                if (nr < 0 || nc < 0 || nr >= Size || nc >= Size || !Open[nr, nc]) continue;
                if (dist[nr, nc] < 0)
                {
                    dist[nr, nc] = dist[r, c] + 1;
                    queue.Enqueue((nr, nc));
                }
                if (dist[nr, nc] == dist[r, c] + 1) count[nr, nc] += count[r, c];
            }
        }
        return (dist, count);
    }

    /// <summary>The mask of the shortest path from start to goal (both included).</summary>
    public bool[,] Solution()
    {
        var (dist, _) = ShortestPaths();
        if (dist[Goal.Row, Goal.Col] < 0) throw new InvalidOperationException("the goal is not reachable");
        var mask = new bool[Size, Size];
        var (r, c) = Goal;
        mask[r, c] = true;
        while ((r, c) != Start)
        {
            (r, c) = new[] { (r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1) }
                .First(n => n.Item1 >= 0 && n.Item2 >= 0 && n.Item1 < Size && n.Item2 < Size && dist[n.Item1, n.Item2] == dist[r, c] - 1);
            mask[r, c] = true;
        }
        return mask;
    }

    /// <summary>The exact verifier: is `mask` the unique shortest path?</summary>
    public bool Verify(bool[,] mask)
    {
        var solution = Solution();
        if (mask.GetLength(0) != Size || mask.GetLength(1) != Size) return false;
        for (var r = 0; r < Size; ++r)
        for (var c = 0; c < Size; ++c)
            if (mask[r, c] != solution[r, c]) return false;
        return true;
    }

    /// <summary>Text form: '#' wall, ' ' open, 'S' start, 'G' goal, '*' the path (when a mask is given).</summary>
    public IEnumerable<string> Render(bool[,]? path = null)
    {
        for (var r = 0; r < Size; ++r)
            yield return string.Concat(Enumerable.Range(0, Size).Select(c =>
                (r, c) == Start ? 'S' : (r, c) == Goal ? 'G' : !Open[r, c] ? '#' : path?[r, c] == true ? '*' : ' '));
    }

    public static Maze Parse(IReadOnlyList<string> rows)
    {
        var size = rows.Count;
        if (size < 5 || size % 2 == 0 || rows.Any(r => r.Length != size))
            throw new InvalidDataException($"a maze must be an odd square of at least 5 rows; got {size} rows");
        var open = new bool[size, size];
        (int, int)? start = null, goal = null;
        for (var r = 0; r < size; ++r)
        for (var c = 0; c < size; ++c)
        {
            var ch = rows[r][c];
            if (ch is not ('#' or ' ' or 'S' or 'G' or '*'))
                throw new InvalidDataException($"unexpected character '{ch}' at row {r}, column {c}");
            open[r, c] = ch != '#';
            if (ch == 'S') start = (r, c);
            if (ch == 'G') goal = (r, c);
        }
        if (start is null || goal is null) throw new InvalidDataException("a maze needs one 'S' and one 'G'");
        return new Maze(open, start.Value, goal.Value);
    }
}
