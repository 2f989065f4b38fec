using System.Text.RegularExpressions;

namespace TtcNative.BindingGenerator;

/// <summary>
/// Numeric object-like macros (#define PREFIX_NAME 123) of the header, with the /** ... */ comment right above each.
/// clang's AST has no macros, so these come from the header text.
/// </summary>
public static partial class MacroReader
{
    [GeneratedRegex(@"(?:/\*\*(?<doc>(?:(?!\*/).)*)\*/\s*\n)?#define\s+(?<name>\w+)\s+(?<value>-?[0-9][0-9.eE+-]*)\s*$",
        RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex NumericDefine();

    public static List<CConstant> Read(string headerText, string prefix) =>
        NumericDefine().Matches(headerText)
            .Where(m => m.Groups["name"].Value.StartsWith(prefix, StringComparison.Ordinal))
            .Select(m => new CConstant(m.Groups["name"].Value, m.Groups["value"].Value,
                string.Join(" ", m.Groups["doc"].Value.Split(new[] { ' ', '\n', '*' }, StringSplitOptions.RemoveEmptyEntries))))
            .ToList();
}
