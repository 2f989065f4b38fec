namespace TtcNative.BindingGenerator;

/// <summary>Maps C types of the header onto ctypes expressions.</summary>
public sealed class PythonNames(CHeader header, CHeader emitted)
{
    // Python keywords a C field may be named after (ttc_solution.lambda); such fields get a trailing underscore.
    static readonly HashSet<string> Keywords =
    [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ];

    readonly HashSet<string> _enums = header.Enums.Select(e => e.Name).ToHashSet();
    readonly HashSet<string> _structs = header.Structs.Select(s => s.Name).ToHashSet();
    readonly HashSet<string> _ownStructs = emitted.Structs.Select(s => s.Name).ToHashSet();
    readonly HashSet<string> _handles = header.OpaqueHandles.ToHashSet();

    public static string Identifier(string cName) => Keywords.Contains(cName) ? cName + "_" : cName;

    /// <summary>The struct a type names (through pointers and arrays) when an included header declares it.</summary>
    public string? ForeignStruct(CType type)
    {
        var s = type.Spelling.Replace("const ", "").TrimEnd('*', ' ');
        var bracket = s.IndexOf('[');
        if (bracket > 0) s = s[..bracket].Trim();
        return _structs.Contains(s) && !_ownStructs.Contains(s) ? s : null;
    }

    /// <summary>The ctypes expression of a C type: c_int64, ctypes.POINTER(ttc_tensor), ctypes.c_int64 * 6, ...</summary>
    public string Map(CType type)
    {
        var s = type.Spelling.Replace("const ", "").Trim();
        var bracket = s.IndexOf('[');
        if (bracket > 0) return $"{Map(new CType(s[..bracket]))} * {int.Parse(s[(bracket + 1)..s.IndexOf(']')])}";
        if (s.EndsWith('*'))
        {
            var pointee = s[..^1].Trim();
            return pointee switch
            {
                "void" => "ctypes.c_void_p",
                "char" => "ctypes.c_char_p",
                _ => $"ctypes.POINTER({Map(new CType(pointee))})",
            };
        }
        return s switch
        {
            "void" => "None",
            "int32_t" or "int" => "ctypes.c_int32",
            "int64_t" => "ctypes.c_int64",
            "uint32_t" => "ctypes.c_uint32",
            "uint64_t" => "ctypes.c_uint64",
            "double" => "ctypes.c_double",
            "float" => "ctypes.c_float",
            _ when _handles.Contains(s) => "ctypes.c_void_p",
            // C enums are int-sized on the platforms the library supports (the C# bindings assume the same).
            _ when _enums.Contains(s) => "ctypes.c_int32",
            _ when _structs.Contains(s) => s,
            _ => throw new NotSupportedException($"no ctypes mapping for C type '{type.Spelling}'"),
        };
    }
}
