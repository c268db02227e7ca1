using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

public class RunExecutorTests
{
    private static RunPlan TinyPlan(TempDirectory dir) => new()
    {
        Models = [new ModelSpec("tiny", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
            SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"))],
        Datasets = [new DatasetSpec("cifar10")],
        Layers = ["cls@last", "cls+avgpool@last4", "every-block"],
        Heads = ["logreg", "knn", "linear"],
        BatchSize = 16, // 150 train images: 8 warm full batches, enough for the latency histogram
        LimitTrain = 150,
        LimitTest = 60,
        LogRegGrid = "coarse",
        KnnK = [5, 20],
        BootstrapSamples = 200,
        DataRoot = dir.File("data"),
        CacheRoot = dir.File("cache"),
        Out = dir.File("results"),
    };

    [SharedFact]
    public async Task A_run_writes_a_complete_results_folder_and_a_second_run_reuses_the_cache()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 40, testCount: 80, seed: 2);
        var plan = TinyPlan(dir);

        var first = await RunExecutor.RunAsync(plan, runName: "first");

        var rows = ResultsCsv.Read(first.Folder);
        // The files hold every row the run returned, in order; both sides through the same writer (numbers keep 10 digits).
        Directory.CreateDirectory(dir.File("returned"));
        ResultsCsv.Write(dir.File("returned"), first.Rows.ToList());
        Assert.Equal(Results.ResultsTestData.Json(ResultsCsv.Read(dir.File("returned"))), Results.ResultsTestData.Json(rows));
        // 5 layer choices (cls@last, cls+avgpool@last4, cls@0..2; cls@3 is cls@last) × (1 logreg + 2 k + the k chosen on validation) + 1 linear, and 2 extraction rows.
        Assert.Equal(5 * 4 + 1, rows.Count(r => r.IsAccuracy));
        Assert.Equal(5 * 2 + 1, rows.Count(r => r.IsAccuracy && r.Primary));
        Assert.Equal(2, rows.Count(r => r.Kind == "extraction"));
        Assert.All(rows.Where(r => r.IsAccuracy), r => Assert.InRange(r.Top1!.Value, r.Top1CiLow!.Value, r.Top1CiHigh!.Value));
        Assert.Equal([150, 60], rows.Where(r => r.Kind == "extraction").Select(r => r.Images!.Value));
        Assert.All(rows.Where(r => r.Head == "logreg"), r => Assert.True(r.HeadTrainSeconds > 0 && r.HeadSamplesPerSecond > 0 && r.HeadLatencyMs > 0));
        Assert.All(rows.Where(r => r.IsAccuracy), r => Assert.Equal(60, r.Predictions!.Count));
        Assert.All(rows.Where(r => r.IsAccuracy), r => Assert.Equal(("tiny", true, 224, 10), (r.Model, r.SyntheticData, r.Resolution!.Value, r.Classes!.Value)));
        foreach (var file in new[] { "manifest.json", "accuracy.csv", "speed.csv", "predictions.jsonl", "report.md", "report.html",
                     "accuracy_vs_block.png", "accuracy_vs_block.svg", "latency_distribution.png" })
            Assert.True(new FileInfo(Path.Combine(first.Folder, file)).Length > 0, file);
        Assert.Contains("tiny", first.Manifest.CheckpointSha256.Keys);

        var logs = new List<string>();
        var second = await RunExecutor.RunAsync(plan, new RunCallbacks(Log: logs.Add), runName: "second");
        // The cached rerun records that its splits came from the cache: nothing timed, nothing missing.
        Assert.All(second.Rows.Where(r => r.Kind == "extraction"), r => Assert.True(r.FromCache && r.BatchMs.Count == 0));
        Assert.Equal(2, logs.Count(l => l.Contains("came from the feature cache")));
        // Same features, same seeds: the same accuracies.
        Assert.Equal(first.Rows.Where(r => r.IsAccuracy).Select(r => (r.LayerChoice, r.Head, r.Setting, r.Chosen, r.Top1)),
                     second.Rows.Where(r => r.IsAccuracy).Select(r => (r.LayerChoice, r.Head, r.Setting, r.Chosen, r.Top1)));
    }

    [Theory]
    [InlineData(new[] { "run", "--model", "dinov2_vitz14" }, "Unknown model 'dinov2_vitz14'")]
    [InlineData(new[] { "run", "--dataset", "mnist-3d", "--weights", "{fixture}" }, "Unknown dataset 'mnist-3d'; the catalog has cifar10")]
    [InlineData(new[] { "run", "--heads", "svm" }, "--heads: 'svm' is not one of logreg, knn, linear")]
    [InlineData(new[] { "run", "--precision", "fp8" }, "--precision: 'fp8' is not one of fp32, fp16, bf16")]
    [InlineData(new[] { "run", "--config", "{config}" }, "$.batchSize: expected a positive integer")]
    public void Bad_input_fails_with_one_clear_line_and_exit_code_2(string[] args, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), "batchSize: 0\n");
        var fixture = SharedFixtures.Available ? SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf") : dir.Path;
        var resolved = args.Select(a => a.Replace("{config}", dir.File("plan.yaml")).Replace("{fixture}", fixture))
            .Concat(["--cache-root", dir.File("cache"), "--data-root", dir.File("data"), "--out", dir.File("out")]).ToArray();
        var outcome = CliProcess.Run(resolved);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.StdErr);
        Assert.DoesNotContain("   at ", outcome.All);
        Assert.False(Directory.Exists(dir.File("out")) && Directory.EnumerateDirectories(dir.File("out")).Any(d => !d.EndsWith(".partial")));
    }

    [SharedFact]
    public async Task An_unwritable_results_root_fails_after_the_work_without_leaving_a_folder()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 10, testCount: 20, seed: 2);
        File.WriteAllText(dir.File("blocked"), "");
        var plan = TinyPlan(dir) with { Out = Path.Combine(dir.File("blocked"), "results"), Layers = ["cls@last"], Heads = ["knn"], LimitTrain = null, LimitTest = null };
        var e = await Assert.ThrowsAsync<ProbeBench.Core.ProbeBenchException>(() => RunExecutor.RunAsync(plan, runName: "x"));
        Assert.Contains("Cannot write results under", e.Message);
    }
}
