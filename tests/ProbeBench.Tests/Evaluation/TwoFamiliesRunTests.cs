using ProbeBench.Core.Data;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

/// <summary>A DINOv2 and a DINOv3 fixture backbone in one run of the real CLI (each with its family's default recipe), then extract and compare on the result.</summary>
public sealed class TwoFamiliesRunTests
{
    [SharedFact]
    public void A_dinov2_and_a_dinov3_model_run_side_by_side_through_the_cli()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 16, testCount: 40, seed: 3);
        var dinov2 = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");
        var dinov3 = SharedFixtures.Path("fixtures", "dinov3", "dinov3_tiny_p16_swiglu", "weights.pth");
        File.WriteAllText(dir.File("plan.yaml"), $"""
            models:
              - {"{"} name: v2tiny, weights: {dinov2}/weights.pth, config: {dinov2}/hf/config.json {"}"}
              - {"{"} name: v3tiny, weights: {dinov3} {"}"}
            datasets: [cifar10]
            layers: [cls@last, cls+avgpool@last, avgpool@1, every-block]
            heads: [logreg, knn]
            logRegGrid: coarse
            knnK: [5]
            batchSize: 16
            limitTrain: 60
            limitTest: 40
            bootstrapSamples: 50
            """);
        string[] roots = ["--data-root", dir.File("data"), "--cache-root", dir.File("cache"), "--out", dir.File("results")];

        var run = CliProcess.Run(["run", "--config", dir.File("plan.yaml"), "--name", "both", .. roots]);
        Assert.True(run.ExitCode == 0, run.All);
        var folder = dir.File("results", "both");
        var rows = RunFolderReader.Read(folder).Rows;
        foreach (var (model, blocks) in new[] { ("v2tiny", 4), ("v3tiny", 3) })
        {
            var accuracy = rows.Where(r => r.Kind == "accuracy" && r.Model == model).ToList();
            Assert.Equal(blocks, accuracy.Where(r => r.Head == "logreg" && r.BlockIndex is not null && r.LayerChoice.StartsWith("cls@")).Select(r => r.BlockIndex).Distinct().Count());
            Assert.Contains(accuracy, r => r.LayerChoice == "cls+avgpool@last");
            Assert.Contains(accuracy, r => r.LayerChoice == "avgpool@1");
            Assert.Equal(2, rows.Count(r => r.Kind == "extraction" && r.Model == model));
        }
        // Without a recipe, each family is evaluated as its authors do: DINOv3 with its own transform, DINOv2 by dataset.
        Assert.All(rows.Where(r => r.Model == "v3tiny"), r => Assert.Equal("dinov3-eval", r.Recipe));
        Assert.All(rows.Where(r => r.Model == "v2tiny"), r => Assert.Equal("resize-224", r.Recipe));
        // The accuracy-vs-size figure shows both models, though each family has one.
        var sizes = File.ReadAllText(Path.Combine(folder, "accuracy_vs_model_size.svg"));
        Assert.Contains("v2tiny", sizes);
        Assert.Contains("v3tiny", sizes);

        // compare takes the two-family run (against itself: no regression); extract takes the DINOv3 model with dense choices.
        var compare = CliProcess.Run(["compare", folder, folder]);
        Assert.True(compare.ExitCode == 0, compare.All);
        Assert.Contains("no regression", compare.StdOut);
        var extract = CliProcess.Run(["extract", "--model", "v3tiny", "--weights", dinov3, "--dataset", "cifar10", "--splits", "test",
            "--layers", "every-block,patch@last", "--recipe", "dinov3-eval", "--batch-size", "16", .. roots[..4]]);
        Assert.True(extract.ExitCode == 0, extract.All);
        Assert.Contains("backbone-only img/s", extract.StdOut);
    }
}
