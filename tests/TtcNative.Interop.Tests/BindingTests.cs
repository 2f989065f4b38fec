using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace TtcNative.Interop.Tests;

public class BindingTests
{
    [Fact]
    public void EveryGeneratedImportIsExportedByTheBuiltLibrary()
    {
        var path = NativeLibraryResolver.Locate(TtcNativeMethods.LibraryName);
        Assert.NotNull(path);
        var handle = NativeLibrary.Load(path!);
        try
        {
            var imports = typeof(TtcNativeMethods).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Select(m => (Method: m, Import: m.GetCustomAttribute<LibraryImportAttribute>()))
                .Where(x => x.Import != null).ToList();
            Assert.True(imports.Count >= 16, $"only {imports.Count} imports were generated");
            foreach (var (method, import) in imports)
                Assert.True(NativeLibrary.TryGetExport(handle, import!.EntryPoint ?? method.Name, out _),
                    $"{import.EntryPoint ?? method.Name} is not exported by {path}");
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    [Fact]
    public void TheLoadedLibraryHasTheAbiTheBindingsWereGeneratedFor()
    {
        Assert.Equal(TtcConstants.TTC_ABI_VERSION, TtcLibrary.AbiVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+$", TtcLibrary.Version);
    }

    [Fact]
    public void GeneratedEnumsCarryTheHeaderValuesAndDocs()
    {
        Assert.Equal(11, (int)TtcStatus.NotConvex);
        Assert.Equal(1, (int)TtcSolver.Riccati);
        Assert.Equal("problem is not convex", TtcLibrary.StatusText(TtcStatus.NotConvex));
        var generated = File.ReadAllText(Path.Combine(RepoRoot(), "bindings/TtcNative.Interop/Generated/TtcNative.g.cs"));
        Assert.Contains("/// <summary>The problem is not convex: a Cholesky or LU failed.", generated);
    }

    [Fact]
    public unsafe void StructLayoutsAreBlittableAndSized()
    {
        Assert.Equal(8 + 8 + 6 * 8 + 6 * 8 + 8, sizeof(TtcTensor));
        Assert.Equal(7 * sizeof(TtcTensor), sizeof(TtcExplicitProblem));
        Assert.Equal(8 + 9 * sizeof(TtcTensor), sizeof(TtcDiscountedProblem));
        Assert.Equal(24, sizeof(TtcOptions));  // solver, storage, saved, saved_bytes
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TtcNative.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (TtcNative.sln) is not above " + AppContext.BaseDirectory);
    }
}
