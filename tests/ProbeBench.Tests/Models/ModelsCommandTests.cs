using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

public sealed class ModelsCommandTests
{
    [Fact]
    public void ListsEveryOfficialVariantWithItsFileAndCost()
    {
        var run = CliProcess.Run(["models"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("dinov2_vitg14_reg4_pretrain.pth", run.StdOut);
        Assert.Contains("dinov2_vits14_pretrain.pth", run.StdOut);
        Assert.Contains("12.25", run.StdOut); // ViT-S/14 GFLOP per 224² image
        Assert.Contains("swiglufused", run.StdOut);
    }

    [Fact]
    public void ImageSizeThatIsNotAPatchMultipleIsOneError()
    {
        var run = CliProcess.Run(["models", "--image-size", "225"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--image-size 225", run.StdErr);
    }
}
