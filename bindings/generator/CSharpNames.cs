namespace TtcNative.BindingGenerator;

/// <summary>Maps C names and types of the header onto C# names and blittable types.</summary>
public sealed class CSharpNames(CHeader header)
{
    readonly HashSet<string> _enums = header.Enums.Select(e => e.Name).ToHashSet();
    readonly HashSet<string> _structs = header.Structs.Select(s => s.Name).ToHashSet();
    readonly HashSet<string> _handles = header.OpaqueHandles.ToHashSet();

    /// <summary>ttc_explicit_problem -> TtcExplicitProblem; TTC_STATUS_NULL_POINTER -> TtcStatusNullPointer.</summary>
    public static string Pascal(string cName) =>
        string.Concat(cName.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));

    /// <summary>TTC_STATUS_NULL_POINTER in enum ttc_status -> NullPointer.</summary>
    public static string EnumMember(string enumName, string constant)
    {
        var prefix = enumName.ToUpperInvariant() + "_";
        return Pascal(constant.StartsWith(prefix, StringComparison.Ordinal) ? constant[prefix.Length..] : constant);
    }

    /// <summary>The C# type of a C type, or of a field (fixed arrays give the element type and a length).</summary>
    public (string Type, int? FixedLength) Map(CType type)
    {
        var s = type.Spelling.Replace("const ", "").Trim();
        var bracket = s.IndexOf('[');
        if (bracket > 0)
        {
            var length = int.Parse(s[(bracket + 1)..s.IndexOf(']')]);
            return (Map(new CType(s[..bracket])).Type, length);
        }
        if (s.EndsWith('*'))
        {
            var pointee = s[..^1].Trim();
            return (pointee switch { "void" => "void*", "char" => "byte*", _ => Map(new CType(pointee)).Type + "*" }, null);
        }
        return (s switch
        {
            "void" => "void",
            "int32_t" or "int" => "int",
            "int64_t" => "long",
            "uint32_t" => "uint",
            "uint64_t" => "ulong",
            "double" => "double",
            "float" => "float",
            _ when _handles.Contains(s) => "nint",
            _ when _enums.Contains(s) => Pascal(s),
            _ when _structs.Contains(s) => Pascal(s),
            _ => throw new NotSupportedException($"no C# mapping for C type '{type.Spelling}'"),
        }, null);
    }
}
