using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

/// <summary>The line before a long extraction counts the images that are really there, and says when it had to assume.</summary>
public sealed class RunEstimateTests
{
    private static RunPlan Plan(TempDirectory dir, string dataset) => new()
    {
        // ViT-g/14 makes any CPU's extraction of a few hundred images longer than the two minutes worth a warning.
        Models = [new ModelSpec("dinov2_vitg14")], Datasets = [new DatasetSpec(dataset)], Layers = ["cls@last"], Heads = ["knn"],
        Device = "cpu", DataRoot = dir.File("data"), CacheRoot = dir.File("cache"),
    };

    [Fact]
    public void Installed_data_is_counted_and_missing_data_is_taken_from_the_catalog()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 40, testCount: 50, seed: 1);

        var here = RunEstimate.Describe(PlanExpander.Expand(Plan(dir, "cifar10")));
        Assert.NotNull(here);
        Assert.StartsWith("extraction ahead: 250 images at ~", here);

        var missing = RunEstimate.Describe(PlanExpander.Expand(Plan(dir, "cifar100")));
        Assert.NotNull(missing);
        Assert.StartsWith("extraction ahead: 60,000 images (dataset not downloaded yet: its catalog size assumed) at ~", missing);

        var limited = SplitSize.Of(PlanExpander.Expand(Plan(dir, "cifar10") with { LimitTrain = 30 }).Units.OfType<ExtractUnit>().First(u => u.Split == "train"), dir.File("data"));
        Assert.Equal(new SplitSize(30, 224, 224, ""), limited);
    }
}
