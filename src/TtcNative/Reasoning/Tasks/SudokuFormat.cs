using System.Diagnostics;

namespace TtcNative.Reasoning.Tasks;

/// <summary>
/// The Sudoku-Extreme CSV format: header "source,question,answer,rating", '.' for blanks. Reading verifies that every
/// answer solves its question. Also imports puzzles from Debian's qqwing with its grade as the rating.
/// </summary>
public static class SudokuFormat
{
    public static readonly string[] QqwingGrades = ["simple", "easy", "intermediate", "expert"];

    public static void Write(TextWriter writer, IEnumerable<SudokuPuzzle> puzzles)
    {
        writer.WriteLine("source,question,answer,rating");
        foreach (var p in puzzles)
            writer.WriteLine($"{p.Source},{Sudoku.Format(p.Question)},{Sudoku.Format(p.Answer)},{p.Rating}");
    }

    public static List<SudokuPuzzle> Read(TextReader reader, string source)
    {
        var header = reader.ReadLine()?.Trim();
        if (header != "source,question,answer,rating")
            throw new InvalidDataException($"{source}: line 1 must be the header 'source,question,answer,rating'");
        var result = new List<SudokuPuzzle>();
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line != null; line = reader.ReadLine())
        {
            ++lineNumber;
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            try
            {
                if (parts.Length != 4) throw new InvalidDataException($"expected 4 fields, got {parts.Length}");
                var question = Sudoku.ParseGrid(parts[1], "question");
                var answer = Sudoku.ParseGrid(parts[2], "answer");
                if (!Sudoku.Verify(question, answer)) throw new InvalidDataException("the answer does not solve the question");
                if (!int.TryParse(parts[3], out var rating)) throw new InvalidDataException($"rating '{parts[3]}' is not an integer");
                result.Add(new SudokuPuzzle(parts[0], question, answer, rating));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{source}: line {lineNumber}: {e.Message}");
            }
        }
        return result;
    }

    /// <summary>Runs `qqwing --generate N --difficulty GRADE --csv --solution`; rating = 1 + the grade's index.</summary>
    public static List<SudokuPuzzle> FromQqwing(int count, string grade)
    {
        var index = Array.IndexOf(QqwingGrades, grade);
        if (index < 0) throw new ArgumentException($"unknown qqwing grade '{grade}'; expected {string.Join(", ", QqwingGrades)}", nameof(grade));
        var executable = File.Exists("/usr/games/qqwing") ? "/usr/games/qqwing" : "qqwing";
        var start = new ProcessStartInfo(executable, $"--generate {count} --difficulty {grade} --csv --solution")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("qqwing did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("qqwing is not installed (Debian: apt-get install qqwing)", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"qqwing failed: {process.StandardError.ReadToEnd().Trim()}");
            var puzzles = new List<SudokuPuzzle>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var parts = line.Trim().Split(',');
                var question = Sudoku.ParseGrid(parts[0], "qqwing puzzle");
                var answer = Sudoku.ParseGrid(parts[1], "qqwing solution");
                if (!Sudoku.Verify(question, answer)) throw new InvalidDataException("qqwing gave a solution that does not verify");
                puzzles.Add(new SudokuPuzzle($"qqwing-{grade}", question, answer, index + 1));
            }
            return puzzles;
        }
    }
}
