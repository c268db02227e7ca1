using ProbeBench.Core;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

public class RunFolderWriterTests
{
    [Fact]
    public void Writes_a_complete_folder_whose_csv_parses_back_exactly()
    {
        using var dir = new TempDirectory();
        var rows = ResultsTestData.Rows();
        // A second, larger model so the accuracy-vs-size figure has two points.
        rows.AddRange(ResultsTestData.Rows().Where(r => r.IsAccuracy).Select(r => r with { Model = "small", Parameters = 22_000_000 }));
        rows.AddRange(ResultsTestData.BenchRows());
        var folder = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-a"), rows);

        Assert.Equal(Path.Combine(dir.Path, "run-a"), folder);
        Assert.False(Directory.Exists(folder + ".partial"));
        Assert.Equal(ResultsTestData.Json(rows.Where(r => r.IsAccuracy).Concat(rows.Where(r => r.IsSpeed))), ResultsTestData.Json(ResultsCsv.Read(folder)));
        foreach (var figure in new[] { "accuracy_vs_block_tiny", "accuracy_vs_block_small", "accuracy_vs_model_size", "throughput_vs_batch", "latency_distribution" })
        {
            var png = new FileInfo(Path.Combine(folder, figure + ".png"));
            Assert.True(png.Length > 10_000, $"{figure}.png is {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png.FullName)[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(folder, figure + ".svg")));
        }
        var report = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("| tiny | cifar10 | cls@3 | logreg | C grid coarse (8 values) | C=1 | 79.00 | 75.00–83.00 |", report);
        Assert.True(report.IndexOf("Which layer is best?", StringComparison.Ordinal) < report.IndexOf("## Accuracy", StringComparison.Ordinal));
        Assert.Contains("![", report);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("<img src=\"accuracy_vs_block_tiny.svg\"", html);
        Assert.Contains("class=\"sortable\"", html);
        Assert.Contains("\"RunName\": \"run-a\"", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(folder, RunFolderWriter.CompleteMarker)));
        Assert.True(Assert.Single(RunFolders.List(dir.Path)).Complete);
    }

    [Fact]
    public void The_reader_gives_back_the_manifest_rows_and_completeness()
    {
        using var dir = new TempDirectory();
        var rows = ResultsTestData.Rows();
        var folder = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-r"), rows);

        var run = RunFolderReader.Read(folder);
        Assert.Equal("run-r", run.Name);
        Assert.True(run.Complete);
        Assert.Equal(ResultsTestData.Json(rows), ResultsTestData.Json(run.Rows));
        Assert.Equal("run-r", run.Manifest!.RunName);
        Assert.True(run.Manifest.Config["test"]!.GetValue<bool>());
        Assert.Equal(ResultsTestData.Manifest("run-r").Environment, run.Manifest.Environment);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(5), run.Manifest.FinishedUtc);

        File.Delete(Path.Combine(folder, RunFolderWriter.CompleteMarker));
        Assert.False(RunFolderReader.Read(folder).Complete);
        Assert.False(Assert.Single(RunFolders.List(dir.Path)).Complete);
    }

    [Fact]
    public void A_corrupt_manifest_is_named_and_listed_as_a_problem()
    {
        using var dir = new TempDirectory();
        var folder = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-c"), ResultsTestData.Rows());
        File.WriteAllText(Path.Combine(folder, RunFolderWriter.ManifestFile), "{ not json");

        Assert.Contains("manifest.json", Assert.Throws<ProbeBenchException>(() => RunFolderReader.Read(folder)).Message);
        var listed = Assert.Single(RunFolders.List(dir.Path));
        Assert.Contains("manifest.json", listed.Problem);
    }

    [Fact]
    public void Predictions_whose_count_differs_from_their_labels_are_one_line_naming_the_file_and_line()
    {
        using var dir = new TempDirectory();
        var folder = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-p"), ResultsTestData.Rows());
        var path = Path.Combine(folder, ResultsCsv.PredictionsFile);
        var lines = File.ReadAllLines(path);
        var first = System.Text.Json.Nodes.JsonNode.Parse(lines[0])!;
        first["Predicted"] = Convert.ToBase64String(new byte[8]);
        lines[0] = first.ToJsonString();
        File.WriteAllLines(path, lines);

        var e = Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(folder));

        Assert.Equal($"{path}: line 1 is not a prediction record (2 predictions for {ResultsTestData.Labels.Length} labels).", e.Message);
    }

    [Theory]
    [InlineData("manifest.json", 0)]
    [InlineData("manifest.json", 100)]
    [InlineData("accuracy.csv", 0)]
    [InlineData("accuracy.csv", 1000)]
    [InlineData("speed.csv", 300)]
    [InlineData("predictions.jsonl", 2000)]
    [InlineData("report.md", 200)]
    [InlineData("report.html", 500)]
    [InlineData(RunFolderWriter.CompleteMarker, 0)]
    public void A_disk_filling_up_during_any_write_leaves_nothing_behind(string failingFile, long capacity)
    {
        using var dir = new TempDirectory();
        var writer = new RunFolderWriter(dir.Path, path =>
            Path.GetFileName(path) == failingFile ? new DiskFullStream(path, capacity) : new FileStream(path, FileMode.CreateNew));

        var e = Assert.Throws<ProbeBenchException>(() => writer.Write(ResultsTestData.Manifest("run-d"), ResultsTestData.Rows()));

        Assert.Contains(failingFile, e.Message);
        Assert.Contains("No space left on device", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        Assert.Empty(RunFolders.List(dir.Path));
    }

    [Fact]
    public void A_failing_write_leaves_no_folder_that_looks_complete()
    {
        using var dir = new TempDirectory();
        var writes = 0;
        var writer = new RunFolderWriter(dir.Path, path =>
            ++writes == 2 ? throw new IOException("No space left on device") : new FileStream(path, FileMode.CreateNew));

        var e = Assert.Throws<ProbeBenchException>(() => writer.Write(ResultsTestData.Manifest("run-b"), ResultsTestData.Rows()));

        Assert.Contains("accuracy.csv", e.Message);
        Assert.Contains("No space left on device", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        Assert.Empty(RunFolders.List(dir.Path));
    }

    [Fact]
    public void An_unwritable_results_root_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        var blocker = dir.File("not-a-folder");
        File.WriteAllText(blocker, "");
        var e = Assert.Throws<ProbeBenchException>(() => new RunFolderWriter(Path.Combine(blocker, "runs")).Write(ResultsTestData.Manifest("x"), ResultsTestData.Rows()));
        Assert.Contains("Cannot write results under", e.Message);
    }

    [Fact]
    public void An_existing_run_is_never_overwritten()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("same"), ResultsTestData.Rows());
        Assert.Contains("already exists", Assert.Throws<ProbeBenchException>(() => new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("same"), ResultsTestData.Rows())).Message);
    }

    [Fact]
    public void A_malformed_value_is_named_with_its_line_and_column()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("m"), ResultsTestData.Rows());
        var csv = dir.File("m", ResultColumns.AccuracyFile);
        var lines = File.ReadAllLines(csv);
        var top1 = Array.IndexOf(lines[0].Split(','), "top1_pct");
        var cells = lines[1].Split(',');
        cells[top1] = "not-a-number";
        lines[1] = string.Join(',', cells);
        File.WriteAllLines(csv, lines);
        var e = Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(csv));
        Assert.Contains(csv, e.Message);
        Assert.Contains("column top1_pct: 'not-a-number'", e.Message);
    }

    [Fact]
    public void A_results_file_of_another_schema_is_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(ResultColumns.AccuracyFile), "name,score\na,1\n");
        Assert.Contains("lacks the column(s) schema_version", Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(dir.File(ResultColumns.AccuracyFile))).Message);
        File.WriteAllText(dir.File("results.csv"), "Kind,Model\n");
        File.Delete(dir.File(ResultColumns.AccuracyFile));
        Assert.Contains("schema 1", Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(dir.Path)).Message);
    }

    [Fact]
    public void Every_results_column_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(SharedFixtures.RepositoryRoot, "docs", "results.md"));
        foreach (var column in ResultColumns.Accuracy.Concat(ResultColumns.Speed).DistinctBy(c => c.Name))
            Assert.Contains($"| `{column.Name}` | {column.Meaning} |", doc);
    }
}
