using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cli;

public sealed class FullDiskRunTests
{
    [SkippableFact]
    public void A_run_whose_results_disk_fills_up_ends_with_one_line_saying_so_and_leaves_no_run_folder()
    {
        Skip.IfNot(SharedFixtures.Available, SharedFixtures.MissingMessage);
        using var disk = FullDisk.TryMount(kilobytes: 24);
        Skip.If(disk is null, "no tmpfs can be mounted here (it needs root)");
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 20, testCount: 40, seed: 3);
        var tiny = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");

        var run = CliProcess.Run(["run", "--model", "tiny", "--weights", Path.Combine(tiny, "weights.pth"), "--model-config", Path.Combine(tiny, "hf", "config.json"),
            "--dataset", "cifar10", "--data-root", dir.File("data"), "--cache-root", dir.File("cache"), "--layers", "cls@last,every-block",
            "--heads", "knn", "--out", disk.Path, "--name", "full"]);

        Assert.Equal(2, run.ExitCode);
        var error = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.StartsWith("error: No space left on device", error);
        Assert.EndsWith("the disk is full; free space there (or write elsewhere) and run again.", error);
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.DoesNotContain("Unhandled exception", run.StdErr);
        Assert.False(Directory.Exists(Path.Combine(disk.Path, "full")));
    }
}
