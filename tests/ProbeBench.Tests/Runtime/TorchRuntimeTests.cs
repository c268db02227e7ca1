using System.Security.Cryptography;
using ProbeBench.Core;
using ProbeBench.Core.Runtime;
using ProbeBench.Tests.TestSupport;
using TorchSharp;

namespace ProbeBench.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void A_fresh_probebench_process_loads_TorchSharp_and_computes()
    {
        using var cache = new TempDirectory();
        var outcome = CliProcess.Run(["env"], new Dictionary<string, string?> { ["PROBEBENCH_CACHE"] = cache.Path, ["PROBEBENCH_LIBTORCH"] = null });

        Assert.True(outcome.ExitCode == 0, outcome.All);
        Assert.Contains("matmul max |error|", outcome.StdOut);
        if (!LibStdCxxHasGlibcxx3432())
        {
            // Where the system libstdc++ lacks the version, the patched copy lives in the given cache, not beside the original.
            Assert.Contains("patched copy", outcome.StdOut);
            Assert.Single(Directory.GetFiles(Path.Combine(cache.Path, "native"), "libLibTorchSharp.so", SearchOption.AllDirectories));
        }
    }

    [Fact]
    public void Patched_copy_leaves_the_original_untouched_and_is_reused()
    {
        using var cache = new TempDirectory();
        var original = NativeLibraryLocator.LibTorchSharpPath();
        var before = SHA256.HashData(File.ReadAllBytes(original));

        var first = LibTorchSharpPatch.EnsurePatchedCopy(original, cache.Path);
        var written = File.GetLastWriteTimeUtc(first);
        var second = LibTorchSharpPatch.EnsurePatchedCopy(original, cache.Path);

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(original)));
        Assert.NotEqual(before, SHA256.HashData(File.ReadAllBytes(first)));
        Assert.Empty(Directory.GetFiles(cache.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/libLibTorchSharp.so)", true)]
    [InlineData("libtorch_cpu.so: cannot open shared object file: No such file or directory", false)]
    [InlineData("/usr/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.33' not found (required by /x/lib.so)", false)]
    public void Only_the_missing_GLIBCXX_3_4_32_error_triggers_the_patch(string message, bool expected) =>
        Assert.Equal(expected, LibTorchSharpPatch.IsMissingVersionError(message));

    [Fact]
    public void In_process_runtime_reports_where_the_natives_came_from()
    {
        TorchRuntime.EnsureInitialized();
        var report = Assert.IsType<NativeLoadReport>(TorchRuntime.Report);
        Assert.True(File.Exists(Path.Combine(report.LibTorchFolder, "libtorch_cpu.so")));
        Assert.Equal(LibStdCxxHasGlibcxx3432(), report.LibTorchSharpPatchedCopy is null);
        using var sum = torch.ones(3, 3).sum();
        Assert.Equal(9f, sum.item<float>());
    }

    [SkippableFact]
    public void Cuda_without_a_cuda_libtorch_fails_naming_what_was_tried()
    {
        Skip.If(Environment.GetEnvironmentVariable(NativeLibraryLocator.LibTorchEnvironmentVariable) is not null,
            "PROBEBENCH_LIBTORCH is set: that libtorch may have CUDA");
        var e = Assert.Throws<ProbeBenchException>(() => TorchRuntime.ResolveDevice("cuda"));
        Assert.Contains("libtorch_cuda.so", e.Message);
        Assert.Contains("PROBEBENCH_LIBTORCH", e.Message);
    }

    [Fact]
    public void Unknown_device_is_rejected()
    {
        var e = Assert.Throws<ProbeBenchException>(() => TorchRuntime.ResolveDevice("tpu"));
        Assert.Contains("--device tpu", e.Message);
    }

    [Fact]
    public void A_libtorch_folder_without_libtorch_fails_with_one_clear_line()
    {
        using var empty = new TempDirectory();
        var outcome = CliProcess.Run(["env"], new Dictionary<string, string?> { ["PROBEBENCH_LIBTORCH"] = empty.Path, ["PROBEBENCH_CACHE"] = empty.Path });
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"PROBEBENCH_LIBTORCH={empty.Path} does not hold libtorch_cpu.so", outcome.All.Replace("\n", ""));
        Assert.DoesNotContain("   at ", outcome.All);
    }

    private static bool LibStdCxxHasGlibcxx3432()
    {
        var libstdcxx = File.ReadAllLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .FirstOrDefault(p => p.Contains("libstdc++.so", StringComparison.Ordinal));
        return libstdcxx is not null && File.ReadAllText(libstdcxx, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);
    }
}
