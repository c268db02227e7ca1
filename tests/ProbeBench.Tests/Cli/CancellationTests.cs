using System.Diagnostics;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cli;

public sealed class CancellationTests
{
    [SkippableFact]
    public void Ctrl_c_reaches_the_run_which_stops_at_its_next_check_says_so_and_keeps_the_finished_features()
    {
        using var dir = TinyCifar(trainPerFile: 30, testCount: 60);
        // Every block with the full 45-C grid: the logistic regressions take far longer than the signal needs to arrive.
        string[] args = ["run", .. TinyOn(dir), "--layers", "cls@last,every-block", "--heads", "logreg", "--logreg-grid", "dinov2",
            "--out", dir.File("out"), "--name", "stopped"];
        var (exitCode, stderr, took) = InterruptAfter(args, line => line.Contains("logistic regression on"));

        Assert.Equal(130, exitCode);
        Assert.True(took < TimeSpan.FromSeconds(30), $"took {took} to stop");
        Assert.Contains("stopping at the next check", stderr);
        Assert.EndsWith("cancelled: finished features and downloads are kept, and the same command again reuses them; nothing unfinished looks complete.",
            stderr.TrimEnd());
        Assert.False(Directory.Exists(dir.File("out", "stopped")));
        Assert.Contains(new FeatureCache(dir.File("cache")).List(), e => e.State == FeatureCacheState.Complete);
    }

    [SkippableFact]
    public void Ctrl_c_stops_an_extraction_between_batches_and_leaves_its_cache_entry_partial()
    {
        // 10,000 images: about a minute for the tiny backbone, so only a cancellation ends it within seconds.
        using var dir = TinyCifar(trainPerFile: 2000, testCount: 10);
        string[] args = ["extract", .. TinyOn(dir), "--layers", "cls@last", "--splits", "train", "--batch-size", "16"];
        var (exitCode, stderr, took) = InterruptAfter(args, line => line.Contains("cifar10/train"));

        Assert.Equal(130, exitCode);
        Assert.True(took < TimeSpan.FromSeconds(20), $"took {took} to stop");
        Assert.Contains("cancelled:", stderr);
        var entry = Assert.Single(new FeatureCache(dir.File("cache")).List());
        Assert.Equal(FeatureCacheState.Partial, entry.State);
    }

    private static TempDirectory TinyCifar(int trainPerFile, int testCount)
    {
        Skip.IfNot(SharedFixtures.Available, SharedFixtures.MissingMessage);
        var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile, testCount, seed: 4);
        return dir;
    }

    // The tiny fixture backbone on the synthetic CIFAR-10 in dir, with dir's own cache.
    private static string[] TinyOn(TempDirectory dir)
    {
        var tiny = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");
        return ["--model", "tiny", "--weights", Path.Combine(tiny, "weights.pth"), "--model-config", Path.Combine(tiny, "hf", "config.json"),
            "--dataset", "cifar10", "--data-root", dir.File("data"), "--cache-root", dir.File("cache")];
    }

    // Starts probebench, sends SIGINT once a stdout line matches, and waits for it to end.
    private static (int ExitCode, string StdErr, TimeSpan Took) InterruptAfter(string[] args, Func<string, bool> ready)
    {
        using var process = Process.Start(CliProcess.StartInfo(args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !ready(line)) { }
        Assert.NotNull(line);
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
        _ = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        if (!process.WaitForExit(120_000)) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stderr.Result, clock.Elapsed);
    }
}
