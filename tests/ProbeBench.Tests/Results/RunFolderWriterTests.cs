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
        var folder = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-a"), rows, [100, 120, 130, 150, 200, 180]);

        Assert.Equal(Path.Combine(dir.Path, "run-a"), folder);
        Assert.False(Directory.Exists(folder + ".partial"));
        Assert.Equal(rows, ResultsCsv.Read(Path.Combine(folder, "results.csv")));
        foreach (var figure in new[] { "accuracy_vs_block", "throughput_vs_batch", "latency_distribution" })
        {
            var png = new FileInfo(Path.Combine(folder, figure + ".png"));
            Assert.True(png.Length > 10_000, $"{figure}.png is {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png.FullName)[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(folder, figure + ".svg")));
        }
        var report = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("| tiny | cifar10 | cls@3 | logreg | C=1 | 79.00 (75.00–83.00)", report);
        Assert.Contains("![", report);
        Assert.Contains("<img src=\"accuracy_vs_block.svg\"", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.Contains("\"RunName\": \"run-a\"", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Single(RunFolders.List(dir.Path));
    }

    [Fact]
    public void A_failing_write_leaves_no_folder_that_looks_complete()
    {
        using var dir = new TempDirectory();
        var writes = 0;
        var writer = new RunFolderWriter(dir.Path, path =>
            ++writes == 2 ? throw new IOException("No space left on device") : new FileStream(path, FileMode.CreateNew));

        var e = Assert.Throws<ProbeBenchException>(() => writer.Write(ResultsTestData.Manifest("run-b"), ResultsTestData.Rows(), []));

        Assert.Contains("results.csv", e.Message);
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
        var e = Assert.Throws<ProbeBenchException>(() => new RunFolderWriter(Path.Combine(blocker, "runs")).Write(ResultsTestData.Manifest("x"), ResultsTestData.Rows(), []));
        Assert.Contains("Cannot write results under", e.Message);
    }

    [Fact]
    public void An_existing_run_is_never_overwritten()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("same"), ResultsTestData.Rows(), []);
        Assert.Contains("already exists", Assert.Throws<ProbeBenchException>(() => new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("same"), ResultsTestData.Rows(), [])).Message);
    }

    [Fact]
    public void A_malformed_results_file_is_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("results.csv"), "Kind,Model,Top1\naccuracy,tiny,not-a-number\n");
        Assert.Contains(dir.File("results.csv"), Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(dir.File("results.csv"))).Message);
    }
}
