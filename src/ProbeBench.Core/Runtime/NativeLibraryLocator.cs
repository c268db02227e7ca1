namespace ProbeBench.Core.Runtime;

/// <summary>Where the libtorch and LibTorchSharp native libraries are looked for.</summary>
internal static class NativeLibraryLocator
{
    public const string LibTorchEnvironmentVariable = "PROBEBENCH_LIBTORCH";
    public const string LibTorchSharpFile = "libLibTorchSharp.so";

    /// <summary>Folders that a build or a self-contained publish puts native libraries in, in probing order.</summary>
    public static IReadOnlyList<string> ApplicationFolders()
    {
        var torchSharpFolder = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? AppContext.BaseDirectory;
        string[] roots = [AppContext.BaseDirectory, torchSharpFolder];
        return roots
            .SelectMany(r => new[] { r, Path.Combine(r, "runtimes", "linux-x64", "native") })
            .Select(Path.GetFullPath)
            .Distinct()
            .ToList();
    }

    /// <summary>The folder named by PROBEBENCH_LIBTORCH, or null when the variable is not set.</summary>
    public static string? ExternalLibTorchFolder()
    {
        var value = Environment.GetEnvironmentVariable(LibTorchEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var folder = Path.GetFullPath(value);
        if (!File.Exists(Path.Combine(folder, "libtorch_cpu.so")))
            throw new ProbeBenchException($"{LibTorchEnvironmentVariable}={value} does not hold libtorch_cpu.so; point it at a libtorch 'lib' folder such as a PyTorch install's torch/lib.");
        return folder;
    }

    /// <summary>The libtorch folder in use: PROBEBENCH_LIBTORCH, else the first application folder holding libtorch_cpu.so.</summary>
    public static string LibTorchFolder() =>
        ExternalLibTorchFolder()
        ?? ApplicationFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, "libtorch_cpu.so")))
        ?? throw new ProbeBenchException(
            $"libtorch_cpu.so was found neither in {string.Join(", ", ApplicationFolders())} nor through {LibTorchEnvironmentVariable}; build with the bundled libtorch or set {LibTorchEnvironmentVariable}.");

    /// <summary>TorchSharp's own native bridge, which ships inside the TorchSharp package.</summary>
    public static string LibTorchSharpPath() =>
        ApplicationFolders().Select(f => Path.Combine(f, LibTorchSharpFile)).FirstOrDefault(File.Exists)
        ?? throw new ProbeBenchException($"{LibTorchSharpFile} was not found in {string.Join(", ", ApplicationFolders())}.");
}
