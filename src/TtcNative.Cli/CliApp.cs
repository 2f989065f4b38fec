using System.CommandLine;
using TtcNative.Interop;

namespace TtcNative.Cli;

/// <summary>The `ttc` command line. Bad input: one line on stderr and exit code 2, never a stack trace.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("TtcNative: test-time control and equilibrium reasoning");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(Bench.BenchCommand.Create());
        root.Subcommands.Add(Reasoning.ReasoningCommands.Train());
        root.Subcommands.Add(Reasoning.ReasoningCommands.Eval());
        root.Subcommands.Add(Reasoning.DemoCommand.Create());
        root.Subcommands.Add(Reasoning.ReasoningCommands.Data());
        return root;
    }

    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var message = string.Join(" ", parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            stderr.WriteLine($"ttc: {message}");
            return 2;
        }
        try
        {
            return parse.Invoke(config);
        }
        catch (TtcNative.Reasoning.CheckpointException e)
        {
            stderr.WriteLine($"ttc: {e.Message}");
            return 2;
        }
        catch (InputError e)
        {
            stderr.WriteLine($"ttc: {e.Message}");
            return 2;
        }
        catch (ArgumentException e)
        {
            // A value the library refuses (ArgumentOutOfRangeException names it): one line, like any bad input.
            stderr.WriteLine($"ttc: {string.Join(" ", e.Message.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries))}");
            return 2;
        }
        catch (Exception e) when (e is TtcNativeException or DllNotFoundException or InvalidOperationException or IOException
                                      or UnauthorizedAccessException)
        {
            stderr.WriteLine($"ttc: {e.Message}");
            return 1;
        }
    }
}
