using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Results;

/// <summary>The machine as a speed row records it.</summary>
public sealed record MachineFacts(int Threads, string Cpu, double? LoadAverage, string? Gpu, string? GpuDriver);

/// <summary>The software and hardware a run used.</summary>
public sealed record RunEnvironment(
    string ProbeBenchVersion,
    string? GitCommit,
    string Os,
    string Dotnet,
    string Cpu,
    int CpuCount,
    string TorchSharpVersion,
    string LibTorchFolder,
    bool ExternalLibTorch,
    string? Gpu,
    string? GpuDriver,
    int? Threads = null,
    double? LoadAverage = null)
{
    public static RunEnvironment Capture(string? workingFolder = null)
    {
        var report = TorchRuntime.Report;
        var (gpu, driver) = GpuFacts.Value;
        return new RunEnvironment(
            typeof(RunEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            ReadGitCommit(workingFolder ?? Directory.GetCurrentDirectory()),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            CpuFacts.Value,
            Environment.ProcessorCount,
            typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            report?.LibTorchFolder ?? "not loaded",
            report?.ExternalLibTorch ?? false,
            gpu, driver,
            report is null ? null : TorchSharp.torch.get_num_threads(), ReadLoadAverage());
    }

    /// <summary>What a speed measurement records about the machine at its start: threads, CPU, load, GPU.</summary>
    public static MachineFacts Machine()
    {
        var (gpu, driver) = GpuFacts.Value;
        return new MachineFacts(TorchSharp.torch.get_num_threads(), CpuFacts.Value, ReadLoadAverage(), gpu, driver);
    }

    private static double? ReadLoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                   ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>
    /// The commit of the checkout ProbeBench runs from: git's answer for the working folder, else the commit the build
    /// recorded in the informational version (<c>1.0.0+&lt;sha&gt;</c>), else null.
    /// </summary>
    private static string? ReadGitCommit(string folder)
    {
        var fromGit = Run("git", $"-C \"{folder}\" rev-parse HEAD")?.Trim();
        if (!string.IsNullOrEmpty(fromGit)) return fromGit;
        var version = typeof(RunEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = version?.IndexOf('+') ?? -1;
        return plus >= 0 && version!.Length - plus - 1 >= 7 ? version[(plus + 1)..] : null;
    }

    // Fixed for the process's life, so asked once: nvidia-smi takes a process start (and up to 5 s) per call, and bench
    // asks for the machine at every grid point, between warm-up and timing.
    private static readonly Lazy<(string? Gpu, string? Driver)> GpuFacts = new(QueryGpu);
    private static readonly Lazy<string> CpuFacts = new(CpuModel);

    private static (string? Gpu, string? Driver) QueryGpu()
    {
        var line = Run("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader")?.Split('\n')[0];
        if (string.IsNullOrWhiteSpace(line)) return (null, null);
        var parts = line.Split(',', 2, StringSplitOptions.TrimEntries);
        return (parts[0], parts.Length > 1 ? parts[1] : null);
    }

    private static string? Run(string program, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
