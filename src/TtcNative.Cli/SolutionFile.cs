using System.Text.Json;
using TtcNative.Interop;

namespace TtcNative.Cli;

/// <summary>
/// Writes `{"solutions":[{"u":[T][m],"h":[T+1][n],"lambda":[T+1][n],"P0":[n][n],"grad":{...}}]}` with doubles that
/// round-trip, through <see cref="AtomicFile"/> (nothing half-written is ever visible).
/// </summary>
public static class SolutionFile
{
    public sealed record Entry(LqrArrays Problem, LqrArraySolution Solution, LqrArrayGradients? Gradients);

    public static void Write(string path, IReadOnlyList<Entry> entries)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            w.WriteStartObject();
            w.WriteStartArray("solutions");
            foreach (var e in entries) WriteEntry(w, e);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static void WriteEntry(Utf8JsonWriter w, Entry e)
    {
        int T = e.Problem.T, n = e.Problem.N, m = e.Problem.M;
        w.WriteStartObject();
        Nested(w, "u", e.Solution.U, T, m);
        Nested(w, "h", e.Solution.H, T + 1, n);
        Nested(w, "lambda", e.Solution.Lambda, T + 1, n);
        Nested(w, "P0", e.Solution.P0, n, n);
        if (e.Gradients is { } g)
        {
            w.WriteStartObject("grad");
            Nested(w, "a", g.A, T, n);
            Nested3(w, "B", g.B, T, n, m);
            Nested3(w, "Q", g.Q, T, n, n);
            Nested(w, "rho", g.Rho, T, m);
            w.WriteStartArray("h0");
            foreach (var v in g.H0) w.WriteNumberValue(v);
            w.WriteEndArray();
            Nested(w, "q", g.QLinear, T, n);
            Nested(w, "r", g.RLinear, T, m);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    static void Nested(Utf8JsonWriter w, string name, double[] values, int rows, int cols)
    {
        w.WriteStartArray(name);
        Rows(w, values, 0, rows, cols);
        w.WriteEndArray();
    }

    static void Nested3(Utf8JsonWriter w, string name, double[] values, int d0, int d1, int d2)
    {
        w.WriteStartArray(name);
        for (var t = 0; t < d0; ++t)
        {
            w.WriteStartArray();
            Rows(w, values, t * d1 * d2, d1, d2);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    static void Rows(Utf8JsonWriter w, double[] values, int offset, int rows, int cols)
    {
        for (var i = 0; i < rows; ++i)
        {
            w.WriteStartArray();
            for (var j = 0; j < cols; ++j) w.WriteNumberValue(values[offset + i * cols + j]);
            w.WriteEndArray();
        }
    }
}
