namespace TtcNative.BindingGenerator;

/// <summary>A C type as clang spells it, e.g. "const ttc_options *" or "int64_t[6]".</summary>
public sealed record CType(string Spelling);

public sealed record CField(string Name, CType Type, string Doc);

public sealed record CStruct(string Name, IReadOnlyList<CField> Fields, string Doc);

public sealed record CEnumConstant(string Name, long Value, string Doc);

public sealed record CEnum(string Name, IReadOnlyList<CEnumConstant> Constants, string Doc);

public sealed record CParameter(string Name, CType Type);

public sealed record CFunction(string Name, CType ReturnType, IReadOnlyList<CParameter> Parameters, string Doc);

public sealed record CConstant(string Name, string Value, string Doc);

/// <summary>Everything the header declares, in declaration order.</summary>
/// <param name="OpaqueHandles">Typedefs of pointers to incomplete structs (e.g. a cudaStream_t), passed as nint.</param>
public sealed record CHeader(
    IReadOnlyList<CConstant> Constants,
    IReadOnlyList<CEnum> Enums,
    IReadOnlyList<CStruct> Structs,
    IReadOnlyList<CFunction> Functions,
    IReadOnlyList<string> OpaqueHandles)
{
    /// <summary>The declarations whose names start with prefix (an included header's are left to its own file).</summary>
    public CHeader Only(string prefix) => new(
        Constants.Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList(),
        Enums.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList(),
        Structs.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList(),
        Functions.Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList(),
        OpaqueHandles);
}
