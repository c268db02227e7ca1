using ProbeBench.Core.Data;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

/// <summary>The regression gate through the real CLI: silent on an identical rerun, loud on a real regression, exit 2 on nonsense.</summary>
public sealed class GateCliTests
{
    private static string[] RunArgs(TempDirectory dir, string name) =>
    [
        "run", "--model", "tiny", "--weights", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
        "--model-config", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"),
        "--dataset", "cifar10", "--data-root", dir.File("data"), "--cache-root", dir.File("cache"), "--out", dir.File("runs"), "--name", name,
        "--layers", "cls@last,cls@1", "--heads", "logreg,knn", "--logreg-grid", "0.1,10", "--knn-k", "5,20", "--batch-size", "16", "--bootstrap-samples", "200",
    ];

    [SharedFact]
    public void An_identical_cached_rerun_passes_and_an_injected_5_point_drop_fails_naming_the_row()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 40, testCount: 200, seed: 3);
        Assert.Equal(0, CliProcess.Run(RunArgs(dir, "first")).ExitCode);
        var rerun = CliProcess.Run(RunArgs(dir, "again"));
        Assert.Equal(0, rerun.ExitCode);

        var same = CliProcess.Run(["compare", dir.File("runs", "first"), dir.File("runs", "again")]);
        Assert.True(same.ExitCode == 0, same.All);
        Assert.Contains("no regression", same.StdOut);
        Assert.Contains("not measured", same.StdOut); // the rerun read its features from the cache
        Assert.Equal(1, CliProcess.Run(["compare", dir.File("runs", "first"), dir.File("runs", "again"), "--require-speed"]).ExitCode);

        // A copy of the run whose cls@1 logreg row gets 10 of its 200 test samples wrong that were right: -5 pp.
        CopyFolder(dir.File("runs", "first"), dir.File("runs", "worse"));
        var row = InjectDrop(dir.File("runs", "worse"), layer: "cls@1", head: "logreg", flips: 10);
        var worse = CliProcess.Run(["compare", dir.File("runs", "first"), dir.File("runs", "worse"), "--junit", dir.File("gate.xml")]);
        Assert.Equal(1, worse.ExitCode);
        Assert.Contains($"tiny cifar10 (synthetic) cls@1 logreg {row}", worse.StdOut);
        Assert.Contains("REGRESSED", worse.StdOut);
        Assert.Contains("failures=\"1\"", File.ReadAllText(dir.File("gate.xml")));

        // NaN where a top-1 belongs is not a pass.
        CopyFolder(dir.File("runs", "first"), dir.File("runs", "nan"));
        var rows = ResultsCsv.Read(dir.File("runs", "nan")).ToList();
        rows[0] = rows[0] with { Top1 = double.NaN };
        Rewrite(dir.File("runs", "nan"), rows);
        Assert.Contains(",NaN,", File.ReadAllText(dir.File("runs", "nan", ResultColumns.AccuracyFile)));
        var nan = CliProcess.Run(["compare", dir.File("runs", "first"), dir.File("runs", "nan")]);
        Assert.Equal(2, nan.ExitCode);
        Assert.Contains("top-1 is NaN %", nan.StdErr);
    }

    [Fact]
    public void A_30_percent_slower_backbone_fails_3_percent_passes_a_bench_is_not_a_run_and_other_seeds_warn()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("bench-base"), ResultsTestData.BenchRows(noise: 0.05));
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("bench-slow"), ResultsTestData.BenchRows(factor: 1.3, noise: 0.05, seed: 40));
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("bench-wobble"), ResultsTestData.BenchRows(factor: 1.03, noise: 0.05, seed: 80));
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run"), ResultsTestData.Rows());
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-seed-1", seed: 1), ResultsTestData.Rows());

        var slow = CliProcess.Run(["compare", dir.File("bench-base"), dir.File("bench-slow")]);
        Assert.Equal(1, slow.ExitCode);
        Assert.Contains("bench dinov2_vits14 (random weights) fp32 224px batch 16 (cpu)", slow.StdOut);
        var wobble = CliProcess.Run(["compare", dir.File("bench-base"), dir.File("bench-wobble"), "--format", "json"]);
        Assert.True(wobble.ExitCode == 0, wobble.All);
        Assert.Contains("\"regressed\": false", wobble.StdOut);

        var mixed = CliProcess.Run(["compare", dir.File("bench-base"), dir.File("run")]);
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("a bench run and the candidate an evaluation run", mixed.StdErr);

        var seeds = CliProcess.Run(["compare", dir.File("run"), dir.File("run-seed-1")]);
        Assert.Equal(0, seeds.ExitCode);
        Assert.Contains("warning: Seeds differ: baseline 0, candidate 1.", seeds.StdOut);
        Assert.DoesNotContain("missing", seeds.StdOut);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Makes <paramref name="flips"/> right predictions of the primary row wrong in predictions.jsonl and accuracy.csv alike; returns the row's setting.</summary>
    private static string InjectDrop(string run, string layer, string head, int flips)
    {
        var rows = ResultsCsv.Read(run).ToList();
        var index = rows.FindIndex(r => r.IsAccuracy && r.LayerChoice == layer && r.Head == head && r.Primary);
        var row = rows[index];
        var predicted = row.Predictions!.ToArray();
        var changed = 0;
        for (var i = 0; i < predicted.Length && changed < flips; i++)
            if (predicted[i] == row.TestLabels![i]) { predicted[i] = (predicted[i] + 1) % 10; changed++; }
        var top1 = row.Top1!.Value - flips / (double)predicted.Length;
        rows[index] = row with { Predictions = predicted, Top1 = top1, Top1CiLow = Math.Max(0, top1 - 0.05), Top1CiHigh = Math.Min(1, top1 + 0.05) };
        Rewrite(run, rows);
        return row.Setting;
    }

    private static void Rewrite(string run, IReadOnlyList<ResultRow> rows)
    {
        foreach (var file in new[] { ResultColumns.AccuracyFile, ResultColumns.SpeedFile, ResultsCsv.PredictionsFile }) File.Delete(Path.Combine(run, file));
        ResultsCsv.Write(run, rows);
    }
}
