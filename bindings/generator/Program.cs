using System.Text.Json;
using TtcNative.BindingGenerator;

// Usage: generator --ast AST.json --header ttc.h --header-path native/include/ttc/ttc.h --out FILE.g.cs
//                  [--prefix ttc_ --class TtcNativeMethods --constants TtcConstants --library ttc]
//                  [--python FILE.py [--python-import MODULE]]
// Only declarations starting with --prefix are written; the rest of the AST (an included header) maps types.
// --python also writes ctypes bindings; the structs of an included header are imported from MODULE.
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
    var prefix = options.GetValueOrDefault("prefix", "ttc_");
    var (enums, structs, functions, handles) = ClangAstReader.Read(ast.RootElement, "ttc_");
    var constants = MacroReader.Read(File.ReadAllText(options["header"]), "TTC_");
    var header = new CHeader(constants, enums, structs, functions, handles);
    var emitted = header.Only(prefix);
    if (emitted.Functions.Count == 0) throw new InvalidDataException($"the AST declares no {prefix} functions");
    var text = CSharpEmitter.Emit(header, emitted, options.GetValueOrDefault("header-path", "ttc.h"),
        "TtcNative.Interop", options.GetValueOrDefault("class", "TtcNativeMethods"),
        options.GetValueOrDefault("constants", "TtcConstants"), options.GetValueOrDefault("library", "ttc"));
    File.WriteAllText(options["out"], text);
    if (options.TryGetValue("python", out var python))
        File.WriteAllText(python, PythonEmitter.Emit(header, emitted, options.GetValueOrDefault("header-path", "ttc.h"),
            options.GetValueOrDefault("python-import")));
    Console.WriteLine($"generator: {emitted.Constants.Count} constants, {emitted.Enums.Count} enums, " +
                      $"{emitted.Structs.Count} structs, {emitted.Functions.Count} functions -> {options["out"]}");
    return 0;
}
catch (Exception e) when (e is IOException or JsonException or InvalidDataException or NotSupportedException or FormatException)
{
    Console.Error.WriteLine($"generator: {e.Message}");
    return 1;
}
