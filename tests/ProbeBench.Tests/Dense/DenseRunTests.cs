using ProbeBench.Core.Cache;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Results;
using ProbeBench.Tests.Data;
using ProbeBench.Tests.Data.Formats;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Dense;

/// <summary>
/// Dense heads through the real executor on the tiny fixture backbone: NYU Depth v2 by name (served, downloaded, recorded,
/// unpacked, read, run with lin. 1 and lin. 4), synthetic depth and segmentation folders at every block (per-block cache
/// entries, RMSE and mIoU vs block, example strips, the report), and dense: online (nothing but labels cached).
/// </summary>
public sealed class DenseRunTests
{
    private static ModelSpec Tiny => new("tiny", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
        SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"));

    private static RunPlan Plan(TempDirectory dir, IReadOnlyList<DatasetSpec> datasets, IReadOnlyList<string> heads) => new()
    {
        Models = [Tiny], Datasets = datasets, Heads = heads, BatchSize = 4, BootstrapSamples = 50,
        DenseSteps = 12, DenseBatchSize = 4, DenseUpsample = 2, DenseLearningRate = 1e-2,
        CacheRoot = dir.File("cache"), DataRoot = dir.File("data"), Out = dir.File("results"),
    };

    [SharedFact]
    public async Task Nyu_by_name_is_downloaded_read_and_probed_with_lin1_and_lin4()
    {
        using var nyu = new CatalogFixture(new()
        {
            ["nyu_depth_v2_labeled.mat"] = NyuMatBuilder.Labeled(7, 6, 8),
            ["splits.mat"] = NyuMatBuilder.Splits([1, 2, 4, 5, 7], [3, 6]),
        });
        var entry = nyu.Entry("nyu-depth-v2", new() { ["train"] = 5, ["test"] = 2 }, ["depth"], nyu.Unpinned("nyu_depth_v2_labeled.mat"), nyu.Unpinned("splits.mat"));
        var folder = await nyu.InstallAsync(entry, _ => { });
        using var dir = new TempDirectory();
        var plan = Plan(dir, [new DatasetSpec("nyu-depth-v2", folder)], ["depth", "logreg"]) with { Recipe = "custom:size=28x42" };

        var outcome = await RunExecutor.RunAsync(plan, runName: "nyu");

        var rows = ResultsCsv.Read(outcome.Folder).Where(r => r.IsAccuracy).ToList();
        Assert.Equal(["patch@lin1", "patch@lin4"], rows.Select(r => r.LayerChoice).Order());
        Assert.All(rows, r => Assert.Equal(("depth", "rmse", 5, 2), (r.Head, r.Metric, r.TrainRows!.Value, r.TestRows!.Value)));
        Assert.All(rows, r => Assert.InRange(r.MetricValue!.Value, r.MetricCiLow!.Value, r.MetricCiHigh!.Value));
        Assert.All(rows, r => Assert.Contains("official labelled training split", r.TrainSet));
        Assert.Contains(outcome.Manifest.Notes, n => n.Contains("head logreg does not fit depth data"));
        Assert.Contains(outcome.Manifest.Notes, n => n.Contains("read patch@lin1, patch@lin4"));
        Assert.Contains(outcome.Manifest.Notes, n => n.Contains("GB of disk") && n.Contains("auto chose cache"));
        foreach (var row in outcome.Rows.Where(r => r.IsDense))
            Assert.True(File.Exists(Path.Combine(outcome.Folder, row.ExampleFigure!)), $"{row.ExampleFigure} is missing");
        var report = File.ReadAllText(Path.Combine(outcome.Folder, "report.md"));
        Assert.Contains("## Dense probes", report);
        Assert.Contains("trained on the official labelled training split", report);
    }

    [SharedFact]
    public async Task Depth_and_segmentation_folders_at_every_block_give_metric_vs_block_figures_from_per_block_cache_entries()
    {
        using var dir = new TempDirectory();
        var depth = SyntheticDenseWriter.Write(dir.File("data"), DenseTask.Depth, 6, 3, 28, seed: 1);
        var seg = SyntheticDenseWriter.Write(dir.File("data"), DenseTask.Segmentation, 6, 3, 28, seed: 2);
        var plan = Plan(dir, [new DatasetSpec(depth), new DatasetSpec(seg)], ["depth", "seg", "knn"]) with
        {
            Layers = ["cls@last", "every-block-patch", "patch@lin4"], Recipe = "custom:size=28",
        };

        var outcome = await RunExecutor.RunAsync(plan, runName: "dense");

        var rows = outcome.Rows.Where(r => r.IsDense).ToList();
        Assert.Equal(2 * 5, rows.Count); // patch@0..3 and patch@lin4 (the fixture has 4 blocks, so lin. 4 is all of them), per head
        Assert.Equal([0, 1, 2, 3], rows.Where(r => r.Head == "seg" && r.BlockIndex is not null).Select(r => r.BlockIndex!.Value).Order());
        Assert.All(rows.Where(r => r.Head == "seg"), r => Assert.Equal(("miou", 4), (r.Metric, r.Classes!.Value)));
        Assert.All(rows, r => Assert.True(r.SyntheticData));
        foreach (var figure in new[] { "rmse_vs_block.png", "miou_vs_block.png", "rmse_vs_block.svg" })
            Assert.True(File.Exists(Path.Combine(outcome.Folder, figure)), figure);
        Assert.Contains(outcome.Manifest.Notes, n => n.Contains("cls@last left out"));

        var stored = new FeatureCache(dir.File("cache")).List().Select(e => e.Manifest!.Parts.LayerChoice).Distinct().Order().ToList();
        Assert.Equal(["labels:depth:28x28:recipe", "labels:segmentation:28x28:recipe", "patch@0", "patch@1", "patch@2", "patch@3"], stored);

        var again = await RunExecutor.RunAsync(plan, runName: "dense-again");
        Assert.All(again.Rows.Where(r => r.Kind == ResultKinds.Extraction), r => Assert.True(r.FromCache));
        var first = rows.Single(r => r.Head == "depth" && r.LayerChoice == "patch@lin4");
        var second = again.Rows.Single(r => r.Head == "depth" && r.LayerChoice == "patch@lin4");
        Assert.Equal(first.MetricValue, second.MetricValue); // the same cached features and seeds: the same probe
    }

    [SharedFact]
    public async Task Dense_online_caches_no_patch_grid_and_still_scores()
    {
        using var dir = new TempDirectory();
        var seg = SyntheticDenseWriter.Write(dir.File("data"), DenseTask.Segmentation, 4, 2, 28, seed: 5);
        var plan = Plan(dir, [new DatasetSpec(seg)], ["seg"]) with { Layers = ["patch@last"], Recipe = "custom:size=28", Dense = "online" };

        var outcome = await RunExecutor.RunAsync(plan, runName: "online");

        var row = outcome.Rows.Single(r => r.IsDense);
        Assert.InRange(row.MetricValue!.Value, 0, 1);
        Assert.Contains(outcome.Manifest.Notes, n => n.Contains("dense: online"));
        Assert.All(new FeatureCache(dir.File("cache")).List(), e => Assert.StartsWith("labels:", e.Manifest!.Parts.LayerChoice));
        Assert.DoesNotContain(outcome.Rows, r => r.Kind == ResultKinds.Extraction);
    }
}
