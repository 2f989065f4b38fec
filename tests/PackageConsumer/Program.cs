// What a user of the packages does first: load the native library from the runtime package, solve one problem with
// both solvers, and differentiate a TTC layer through TorchSharp. Exit code 0 when all of it works.
using TtcNative;
using TtcNative.Interop;
using static TorchSharp.torch;

var rid = NativeLibraryResolver.RuntimeId;
var located = NativeLibraryResolver.Locate("ttc");
Console.WriteLine($"TtcNative {TtcLibrary.Version}, ABI {TtcLibrary.AbiVersion}, {rid}, from {located}");
var packageFolder = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
if (located is null || Path.GetDirectoryName(located) != packageFolder)
{
    Console.Error.WriteLine($"the native library did not come from the runtime package ({packageFolder})");
    return 1;
}

// T = 2, n = 2, m = 1: u_1 of both solvers agree (DESIGN.md §0: 1e-10 in f64).
var problem = new LqrArrays(2, 2, 1, A: [0.9, 1.1, 1.2, 0.8], B: [1, 0.5, 0.3, 1], Q: [1, 0, 0, 1, 2, 0.1, 0.1, 1],
    Rho: [0.5, 2], H0: [1, -1]);
var symplectic = DenseLqr.Solve(problem, TtcSolver.Symplectic).U[0];
var riccati = DenseLqr.Solve(problem, TtcSolver.Riccati).U[0];
Console.WriteLine($"u_1: symplectic {symplectic:R}, riccati {riccati:R}");
if (Math.Abs(symplectic - riccati) > 1e-10 * (1 + Math.Abs(riccati))) return 1;

var layer = new TtcLayer(inDim: 8, outDim: 8, n: 4, m: 3, heads: 2, bRank: 2, qRank: 2);
var x = randn(2, 5, 8).requires_grad_(true);
TtcAutograd.Backward(layer.forward(x, 8).square().sum());
var gradNorm = x.grad!.norm().item<float>();
Console.WriteLine($"TtcLayer: |dL/dx| = {gradNorm}");
return float.IsFinite(gradNorm) && gradNorm > 0 ? 0 : 1;
