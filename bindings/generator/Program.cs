using System.Text.Json;
using TtcNative.BindingGenerator;

// Usage: generator --ast AST.json --header ttc.h --header-path native/include/ttc/ttc.h --out FILE.g.cs
var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
foreach (var required in new[] { "ast", "header", "out" })
{
    if (options.ContainsKey(required)) continue;
    Console.Error.WriteLine($"generator: missing --{required}. Usage: --ast AST.json --header ttc.h [--header-path P] --out FILE");
    return 2;
}

try
{
    using var ast = JsonDocument.Parse(File.ReadAllBytes(options["ast"]), new JsonDocumentOptions { MaxDepth = 4096 });
    var (enums, structs, functions) = ClangAstReader.Read(ast.RootElement, "ttc_");
    var constants = MacroReader.Read(File.ReadAllText(options["header"]), "TTC_");
    if (functions.Count == 0) throw new InvalidDataException("the AST declares no ttc_ functions");
    var header = new CHeader(constants, enums, structs, functions);
    var text = CSharpEmitter.Emit(header, options.GetValueOrDefault("header-path", "ttc.h"), "TtcNative.Interop",
        "TtcNativeMethods", "ttc");
    File.WriteAllText(options["out"], text);
    Console.WriteLine($"generator: {constants.Count} constants, {enums.Count} enums, {structs.Count} structs, " +
                      $"{functions.Count} functions -> {options["out"]}");
    return 0;
}
catch (Exception e) when (e is IOException or JsonException or InvalidDataException or NotSupportedException or FormatException)
{
    Console.Error.WriteLine($"generator: {e.Message}");
    return 1;
}
