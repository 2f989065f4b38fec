using System.CommandLine;
using TtcNative.Interop;

namespace TtcNative.Cli;

/// <summary>`ttc solve`: explicit-form problems from JSON through the native library, without TorchSharp.</summary>
public static class SolveCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "problem file (JSON)", Required = true };
        var output = new Option<string>("--output") { Description = "solution file to write (JSON)", Required = true };
        var solver = new Option<string>("--solver") { Description = "symplectic | riccati", DefaultValueFactory = _ => "symplectic" };
        solver.AcceptOnlyFromAmong("symplectic", "riccati");
        var dtype = new Option<string>("--dtype") { Description = "float64 | float32", DefaultValueFactory = _ => "float64" };
        dtype.AcceptOnlyFromAmong("float64", "float32");
        var command = new Command("solve", "Solve explicit-form LQR problems from a JSON file") { input, output, solver, dtype };
        command.SetAction(r => Run(r.GetValue(input)!, r.GetValue(output)!,
            r.GetValue(solver) == "riccati" ? TtcSolver.Riccati : TtcSolver.Symplectic,
            r.GetValue(dtype) == "float32" ? TtcDtype.F32 : TtcDtype.F64));
        return command;
    }

    public static int Run(string input, string output, TtcSolver solver, TtcDtype dtype)
    {
        var requests = ProblemFile.Read(input);
        var entries = new List<SolutionFile.Entry>(requests.Count);
        for (var i = 0; i < requests.Count; ++i)
        {
            var (problem, gradU1) = requests[i];
            try
            {
                var solution = DenseLqr.Solve(problem, solver, dtype);
                var grads = gradU1 is null ? null : DenseLqr.Gradients(problem, gradU1, null, solver, dtype);
                entries.Add(new SolutionFile.Entry(problem, solution, grads));
            }
            catch (TtcNativeException e)
            {
                throw new InputError($"problem {i}: {e.NativeMessage}");
            }
        }
        SolutionFile.Write(output, entries);
        return 0;
    }
}
