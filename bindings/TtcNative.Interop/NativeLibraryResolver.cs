using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TtcNative.Interop;

/// <summary>
/// Finds the native library for the imports of this assembly: TTC_NATIVE_DIR if set, then runtimes/&lt;rid&gt;/native/
/// beside the application (the NuGet layout), then artifacts/runtimes/&lt;rid&gt;/native/ in a parent folder (a
/// checkout of the repository), then the system's search path.
/// </summary>
public static class NativeLibraryResolver
{
    /// <summary>The runtime identifier whose folder is searched, e.g. linux-x64.</summary>
    public static string RuntimeId
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}-{arch}";
        }
    }

    /// <summary>The file name of a native library on this OS: libttc.so, ttc.dll or libttc.dylib.</summary>
    public static string FileName(string library) =>
        OperatingSystem.IsWindows() ? $"{library}.dll" : OperatingSystem.IsMacOS() ? $"lib{library}.dylib" : $"lib{library}.so";

    /// <summary>The folders searched for native libraries, in order.</summary>
    public static IEnumerable<string> SearchDirectories()
    {
        if (Environment.GetEnvironmentVariable("TTC_NATIVE_DIR") is { Length: > 0 } env) yield return env;
        var rid = RuntimeId;
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        yield return AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "artifacts", "runtimes", rid, "native");
    }

    /// <summary>The path the library would be loaded from, or null when only the system search path is left.</summary>
    public static string? Locate(string library) =>
        SearchDirectories().Select(d => Path.Combine(d, FileName(library))).FirstOrDefault(File.Exists);

#pragma warning disable CA2255 // a library must register its resolver before the first P/Invoke, wherever it is used
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    static IntPtr Resolve(string library, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (library != TtcNativeMethods.LibraryName && library != TtcCudaNativeMethods.LibraryName) return IntPtr.Zero;
        if (Locate(library) is { } path) return NativeLibrary.Load(path);
        return NativeLibrary.TryLoad(FileName(library), assembly, searchPath, out var handle) ? handle : IntPtr.Zero;
    }
}
