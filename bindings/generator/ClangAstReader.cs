using System.Text.Json;

namespace TtcNative.BindingGenerator;

/// <summary>
/// Reads the declarations of one header from clang's JSON AST (clang -Xclang -ast-dump=json -fsyntax-only). Only
/// declarations whose names start with the prefix are kept; everything from system headers is ignored.
/// </summary>
public static class ClangAstReader
{
    public static (List<CEnum> Enums, List<CStruct> Structs, List<CFunction> Functions, List<string> OpaqueHandles)
        Read(JsonElement root, string prefix)
    {
        var enums = new List<CEnum>();
        var structs = new List<CStruct>();
        var functions = new List<CFunction>();
        var handles = new List<string>();
        foreach (var node in Children(root))
        {
            var name = node.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            switch (Kind(node))
            {
                case "EnumDecl":
                    enums.Add(ReadEnum(node, name));
                    break;
                case "RecordDecl" when IsDefinition(node):
                    structs.Add(ReadStruct(node, name));
                    break;
                case "FunctionDecl":
                    functions.Add(ReadFunction(node, name));
                    break;
                case "TypedefDecl" when TypeOf(node).Spelling.StartsWith("struct ", StringComparison.Ordinal) &&
                                        TypeOf(node).Spelling.EndsWith('*'):
                    handles.Add(name);
                    break;
            }
        }
        return (enums, structs, functions, handles);
    }

    static CEnum ReadEnum(JsonElement node, string name)
    {
        var constants = new List<CEnumConstant>();
        long next = 0;
        foreach (var c in Children(node).Where(c => Kind(c) == "EnumConstantDecl"))
        {
            var value = Children(c).Where(e => Kind(e) == "ConstantExpr")
                .Select(e => long.Parse(e.GetProperty("value").GetString()!)).DefaultIfEmpty(next).First();
            constants.Add(new CEnumConstant(c.GetProperty("name").GetString()!, value, Doc(c)));
            next = value + 1;
        }
        return new CEnum(name, constants, Doc(node));
    }

    static CStruct ReadStruct(JsonElement node, string name)
    {
        var fields = Children(node).Where(c => Kind(c) == "FieldDecl")
            .Select(f => new CField(f.GetProperty("name").GetString()!, TypeOf(f), Doc(f))).ToList();
        return new CStruct(name, fields, Doc(node));
    }

    static CFunction ReadFunction(JsonElement node, string name)
    {
        var signature = node.GetProperty("type").GetProperty("qualType").GetString()!;
        var returnType = new CType(signature[..signature.IndexOf('(')].Trim());
        var parameters = Children(node).Where(c => Kind(c) == "ParmVarDecl")
            .Select(p => new CParameter(p.GetProperty("name").GetString()!, TypeOf(p))).ToList();
        return new CFunction(name, returnType, parameters, Doc(node));
    }

    static CType TypeOf(JsonElement decl) => new(decl.GetProperty("type").GetProperty("qualType").GetString()!);

    static bool IsDefinition(JsonElement node) =>
        node.TryGetProperty("completeDefinition", out var d) && d.GetBoolean();

    static string Kind(JsonElement node) => node.GetProperty("kind").GetString()!;

    static IEnumerable<JsonElement> Children(JsonElement node) =>
        node.TryGetProperty("inner", out var inner) ? inner.EnumerateArray() : Enumerable.Empty<JsonElement>();

    /// <summary>The text of a declaration's doc comment (its FullComment child), as one line.</summary>
    static string Doc(JsonElement node)
    {
        var full = Children(node).FirstOrDefault(c => Kind(c) == "FullComment");
        if (full.ValueKind == JsonValueKind.Undefined) return "";
        var words = new List<string>();
        Collect(full, words);
        return string.Join(" ", string.Concat(words).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    static void Collect(JsonElement node, List<string> words)
    {
        if (Kind(node) == "TextComment") words.Add(node.GetProperty("text").GetString()!);
        foreach (var c in Children(node)) Collect(c, words);
    }
}
