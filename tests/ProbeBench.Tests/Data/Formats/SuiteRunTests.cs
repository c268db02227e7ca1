using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;
using static ProbeBench.Tests.Data.ArchiveBuilders;

namespace ProbeBench.Tests.Data.Formats;

/// <summary>
/// A short run over two installed catalog formats at once (VOC 2007, multi-label, and Flowers-102, mean per-class
/// accuracy) on the tiny fixture backbone: each dataset's metric reaches accuracy.csv with its interval, VOC gets the
/// one-vs-rest head only (with a note for the others), and the report carries the paper-style table.
/// </summary>
public sealed class SuiteRunTests
{
    private static Dictionary<string, byte[]> Voc(int train, int test)
    {
        var classes = Core.Data.Layouts.Voc2007Layout.Classes;
        (string, byte[])[] Set(string set, int count, int offset)
        {
            var ids = Enumerable.Range(offset, count).Select(i => $"{i:000000}").ToArray();
            int Target(int i, int c) => c == i % 3 || (c == 14 && i % 2 == 0) ? 1 : c == 8 && i % 5 == 1 ? 0 : -1;
            var files = new List<(string, byte[])> { ($"VOCdevkit/VOC2007/ImageSets/Main/{set}.txt", Text(ids)) };
            for (var c = 0; c < classes.Count; c++)
                files.Add(($"VOCdevkit/VOC2007/ImageSets/Main/{classes[c]}_{set}.txt", Text(ids.Select((id, k) => $"{id} {Target(offset + k, c)}").ToArray())));
            files.AddRange(ids.Select((id, k) => ($"VOCdevkit/VOC2007/JPEGImages/{id}.jpg", Image((offset + k) % 3 * 20 + k % 2))));
            return files.ToArray();
        }
        return new() { ["VOCtrainval_06-Nov-2007.tar"] = Tar(Set("trainval", train, 1)), ["VOCtest_06-Nov-2007.tar"] = Tar(Set("test", test, 1000)) };
    }

    [SharedFact]
    public async Task Voc_and_flowers_run_in_one_plan_with_their_metrics_and_the_suite_table()
    {
        using var voc = new CatalogFixture(Voc(24, 9));
        var vocEntry = voc.Entry("voc2007", new() { ["train"] = 24, ["test"] = 9 }, Core.Data.Layouts.Voc2007Layout.Classes.ToList(),
            voc.File("VOCtrainval_06-Nov-2007.tar"), voc.File("VOCtest_06-Nov-2007.tar"));
        var vocFolder = await voc.InstallAsync(vocEntry);

        var labels = Enumerable.Range(0, 30).Select(i => (double)(i % 2 + 1)).ToArray();
        using var flowers = new CatalogFixture(new()
        {
            ["102flowers.tgz"] = TarGz(Enumerable.Range(1, 30).Select(i => ($"jpg/image_{i:00000}.jpg", Image(i % 2 * 40 + i % 3)))),
            ["imagelabels.mat"] = MatFileWriter.Write(true, ("labels", new MatNumbers([1, 30], labels, MatStorage.UInt8))),
            ["setid.mat"] = MatFileWriter.Write(false, ("trnid", MatNumbers.Row([.. Enumerable.Range(1, 10).Select(i => (double)i)])),
                ("valid", MatNumbers.Row([.. Enumerable.Range(11, 10).Select(i => (double)i)])), ("tstid", MatNumbers.Row([.. Enumerable.Range(21, 10).Select(i => (double)i)]))),
        });
        var flowersEntry = flowers.Entry("flowers102", new() { ["train"] = 20, ["test"] = 10 }, ["pink primrose", "hard-leaved pocket orchid"],
            flowers.File("102flowers.tgz"), flowers.File("imagelabels.mat", "none"), flowers.File("setid.mat", "none"));
        var flowersFolder = await flowers.InstallAsync(flowersEntry);

        using var dir = new TempDirectory();
        var plan = new RunPlan
        {
            Models = [new ModelSpec("tiny", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
                SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"))],
            Datasets = [new DatasetSpec("voc2007", vocFolder), new DatasetSpec("flowers102", flowersFolder)],
            Layers = ["cls@last", "cls@0"], Heads = ["logreg", "knn"], Recipe = "custom:size=28", BatchSize = 8,
            LogRegGrid = "0.1,10", KnnK = [3], BootstrapSamples = 50,
            CacheRoot = dir.File("cache"), DataRoot = dir.File("data"), Out = dir.File("results"),
        };
        var outcome = await RunExecutor.RunAsync(plan, runName: "suite");

        var rows = ResultsCsv.Read(outcome.Folder).Where(r => r.Kind == "accuracy").ToList();
        var vocRows = rows.Where(r => r.Dataset == "voc2007").ToList();
        Assert.Equal(2, vocRows.Count); // logreg on two layer choices; knn skipped
        Assert.All(vocRows, r => Assert.Equal(("logreg", "map11"), (r.Head, r.Metric)));
        Assert.All(vocRows, r => Assert.InRange(r.MetricValue!.Value, 0, 1));
        Assert.All(vocRows, r => Assert.True(r.MetricCiLow <= r.MetricValue && r.MetricValue <= r.MetricCiHigh));
        Assert.Contains(outcome.Manifest.Notes, n => n.Contains("knn does not fit multi-label"));
        var flowerRows = rows.Where(r => r.Dataset == "flowers102" && r.Primary).ToList();
        Assert.Equal(4, flowerRows.Count);
        Assert.All(flowerRows, r => Assert.Equal("mean-per-class", r.Metric));
        Assert.All(flowerRows, r => Assert.Equal(r.BalancedAccuracy!.Value, r.MetricValue!.Value, 12));
        var report = File.ReadAllText(Path.Combine(outcome.Folder, "report.md"));
        Assert.Contains("## Suite: logreg", report);
        Assert.Contains("voc2007 (11-point mAP)", report);
        Assert.Contains("flowers102 (mean per-class accuracy)", report);
        Assert.Contains("Best layer choice per dataset: logreg", report);
    }
}
