using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

public sealed class InspectCommandTests
{
    [SharedFact]
    public void OfficialFormatCheckpointIsDescribedWithItsHash()
    {
        var run = CliProcess.Run(["inspect", Path.Combine(DinoV2Fixtures.Folder("vit_tiny_p14_swiglu"), "weights.pth"), "--keys"]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("TorchZip", run.StdOut);
        Assert.Matches("[0-9a-f]{64}", run.StdOut);
        Assert.Contains("embed 48, depth 3", run.StdOut);
        Assert.Contains("swiglufused hidden 128", run.StdOut);
        Assert.Contains("not an official DINOv2 variant", run.StdOut);
        Assert.Contains("number of attention heads", run.StdOut); // no config.json beside weights.pth
        Assert.Contains("blocks.2.mlp.w12.weight", run.StdOut);
    }

    [SharedFact]
    public void TransformersFolderLoadsStrictlyWithItsConfig()
    {
        var run = CliProcess.Run(["inspect", Path.Combine(DinoV2Fixtures.Folder("vit_tiny_p14_reg4"), "hf")]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("HuggingFace", run.StdOut);
        Assert.Contains("4 register tokens", run.StdOut);
        Assert.Contains("loads strictly: 3 heads", run.StdOut);
        Assert.Contains("offset 0 with antialias", run.StdOut);
    }

    [Fact]
    public void NotACheckpointIsOneErrorAndNonZeroExit()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "notes.pth");
        File.WriteAllText(path, "hello, not a checkpoint");
        var run = CliProcess.Run(["inspect", path]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("notes.pth", run.StdErr);
        Assert.Single(run.StdErr.Trim().Split('\n'));
    }
}
