using System.Diagnostics;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>Issue 9 item 6: a run against a cache root it may not write ends in one line naming the cache, no stack trace.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadOnlyCacheRootTests
{
    [SharedFact]
    public void A_read_only_cache_root_is_one_line_naming_it()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 4, testCount: 10, seed: 1);
        Directory.CreateDirectory(dir.File("readonly"));
        Directory.CreateDirectory(dir.File("scratch"));
        File.SetUnixFileMode(dir.File("readonly"), (UnixFileMode)0b101_101_101);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(dir.File("scratch"), (UnixFileMode)0b111_111_111);
        foreach (var folder in Directory.EnumerateDirectories(dir.File("data"), "*", SearchOption.AllDirectories).Append(dir.File("data")))
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var fixture = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");
        string[] args = ["run", "--model", "tiny", "--weights", Path.Combine(fixture, "weights.pth"), "--model-config", Path.Combine(fixture, "hf", "config.json"),
            "--dataset", "cifar10", "--data-root", dir.File("data"), "--cache-root", dir.File("readonly"), "--out", dir.File("scratch", "out"),
            "--layers", "cls@last", "--heads", "knn", "--knn-k", "3"];
        var environment = new Dictionary<string, string?> { ["PROBEBENCH_CACHE"] = dir.File("scratch", "pb"), ["HOME"] = dir.File("scratch") };
        CliProcess.Outcome outcome;
        if (Environment.UserName == "root")
        {
            // Root writes anywhere: run the CLI as nobody, for whom the folder really is read-only.
            var info = CliProcess.StartInfo(args, environment);
            info.ArgumentList.Insert(0, info.FileName);
            foreach (var word in new[] { "--reuid=65534", "--regid=65534", "--clear-groups" }.Reverse()) info.ArgumentList.Insert(0, word);
            info.FileName = "setpriv";
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)));
            outcome = new CliProcess.Outcome(process.ExitCode, stdout.Result, stderr.Result);
        }
        else outcome = CliProcess.Run(args, environment);
        Assert.True(outcome.ExitCode == 2, outcome.All);
        Assert.Contains($"The feature cache under {dir.File("readonly")} cannot be written", outcome.StdErr);
        Assert.Single(outcome.StdErr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", outcome.All);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.File("readonly")));
    }
}
