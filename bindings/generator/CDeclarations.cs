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
public sealed record CHeader(
    IReadOnlyList<CConstant> Constants,
    IReadOnlyList<CEnum> Enums,
    IReadOnlyList<CStruct> Structs,
    IReadOnlyList<CFunction> Functions);
