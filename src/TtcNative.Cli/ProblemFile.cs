using System.Text.Json;
using TtcNative.Interop;

namespace TtcNative.Cli;

/// <summary>One problem of a `ttc solve` input file, and the optional upstream gradient of u_1.</summary>
public sealed record SolveRequest(LqrArrays Problem, double[]? GradU1);

/// <summary>
/// Reads `{"problems":[{"a":[T][n],"B":[T][n][m],"Q":[T][n][n],"rho":[T][m],"h0":[n],"q"?:[T][n],"r"?:[T][m],
/// "grad_u1"?:[m]}]}`. n and T come from a, m from rho; every other field is checked against them. Errors name the
/// problem index, the field and the JSON path.
/// </summary>
public static class ProblemFile
{
    public static List<SolveRequest> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"cannot read '{path}': {e.Message}");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InputError($"'{path}' is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                !doc.RootElement.TryGetProperty("problems", out var problems) || problems.ValueKind != JsonValueKind.Array)
                throw new InputError("$.problems: expected an array of problems");
            var result = new List<SolveRequest>();
            var index = 0;
            foreach (var p in problems.EnumerateArray()) result.Add(ReadProblem(p, index++));
            return result;
        }
    }

    static SolveRequest ReadProblem(JsonElement p, int index)
    {
        var where = $"$.problems[{index}]";
        if (p.ValueKind != JsonValueKind.Object) throw new InputError($"problem {index}: {where}: expected an object");
        var reader = new FieldReader(p, index, where);
        var a = reader.Matrix("a", null, null, "[T][n]");
        int T = a.Rows, n = a.Cols;
        var rho = reader.Matrix("rho", T, null, "[T][m]");
        var m = rho.Cols;
        if (T > 0 && n == 0) throw new InputError($"problem {index}, field 'a': n = 0 at {where}.a; n must be >= 1");
        if (T > 0 && m == 0) throw new InputError($"problem {index}, field 'rho': m = 0 at {where}.rho; m must be >= 1");
        if (T == 0) throw new InputError($"problem {index}, field 'a': T = 0 leaves n undefined at {where}.a; give T >= 1");
        var B = reader.Tensor3("B", T, n, m, "[T][n][m]");
        var Q = reader.Tensor3("Q", T, n, n, "[T][n][n]");
        var h0 = reader.Vector("h0", n, "[n]", required: true)!;
        var q = reader.Matrix("q", T, n, "[T][n]", required: false);
        var r = reader.Matrix("r", T, m, "[T][m]", required: false);
        var gradU1 = reader.Vector("grad_u1", m, "[m]", required: false);
        for (var i = 0; i < rho.Values.Length; ++i)
            if (!(rho.Values[i] > 0))
                throw new InputError($"problem {index}, field 'rho': {where}.rho[{i / m}][{i % m}] = {rho.Values[i]}; rho must be > 0");
        return new SolveRequest(new LqrArrays(T, n, m, a.Values, B, Q, rho.Values, h0,
            q.Rows < 0 ? null : q.Values, r.Rows < 0 ? null : r.Values), gradU1);
    }

    readonly record struct Dense(int Rows, int Cols, double[] Values);

    sealed class FieldReader(JsonElement problem, int index, string where)
    {
        InputError Error(string field, string path, string what) =>
            new($"problem {index}, field '{field}': {what} at {path}");

        public double[]? Vector(string field, int length, string shape, bool required)
        {
            if (!problem.TryGetProperty(field, out var e))
                return required ? throw Error(field, $"{where}.{field}", $"missing; expected {shape} = [{length}]") : null;
            var values = new double[length];
            ReadRow(field, e, $"{where}.{field}", length, values, 0, shape);
            return values;
        }

        public Dense Matrix(string field, int? rows, int? cols, string shape, bool required = true)
        {
            var path = $"{where}.{field}";
            if (!problem.TryGetProperty(field, out var e))
                return required ? throw Error(field, path, $"missing; expected {shape}") : new Dense(-1, -1, []);
            if (e.ValueKind != JsonValueKind.Array) throw Error(field, path, $"expected an array {shape}");
            var rowCount = e.GetArrayLength();
            if (rows is int expectedRows && rowCount != expectedRows)
                throw Error(field, path, $"expected {expectedRows} rows for {shape}, got {rowCount}");
            var colCount = cols ?? (rowCount > 0 && e[0].ValueKind == JsonValueKind.Array ? e[0].GetArrayLength() : 0);
            var values = new double[rowCount * colCount];
            for (var i = 0; i < rowCount; ++i) ReadRow(field, e[i], $"{path}[{i}]", colCount, values, i * colCount, shape);
            return new Dense(rowCount, colCount, values);
        }

        public double[] Tensor3(string field, int d0, int d1, int d2, string shape)
        {
            var path = $"{where}.{field}";
            if (!problem.TryGetProperty(field, out var e)) throw Error(field, path, $"missing; expected {shape} = [{d0}][{d1}][{d2}]");
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != d0)
                throw Error(field, path, $"expected {d0} entries for {shape} = [{d0}][{d1}][{d2}]");
            var values = new double[d0 * d1 * d2];
            for (var t = 0; t < d0; ++t)
            {
                var slab = e[t];
                if (slab.ValueKind != JsonValueKind.Array || slab.GetArrayLength() != d1)
                    throw Error(field, $"{path}[{t}]", $"expected {d1} rows for {shape} = [{d0}][{d1}][{d2}]");
                for (var i = 0; i < d1; ++i)
                    ReadRow(field, slab[i], $"{path}[{t}][{i}]", d2, values, (t * d1 + i) * d2, shape);
            }
            return values;
        }

        void ReadRow(string field, JsonElement row, string path, int length, double[] into, int offset, string shape)
        {
            if (row.ValueKind != JsonValueKind.Array) throw Error(field, path, $"expected an array of {length} numbers ({shape})");
            if (row.GetArrayLength() != length)
                throw Error(field, path, $"expected {length} numbers ({shape}), got {row.GetArrayLength()}");
            var j = 0;
            foreach (var v in row.EnumerateArray())
            {
                var value = v.ValueKind switch
                {
                    JsonValueKind.Number => v.GetDouble(),
                    JsonValueKind.String when v.GetString() is "NaN" or "Infinity" or "-Infinity" =>
                        double.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                    _ => throw Error(field, $"{path}[{j}]", $"expected a number, got {v.ValueKind}"),
                };
                if (!double.IsFinite(value)) throw Error(field, $"{path}[{j}]", $"{value} is not finite; values must be finite");
                into[offset + j++] = value;
            }
        }
    }
}
