using ProbeBench.Core.Data;
using ProbeBench.Core.IO;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

/// <summary>
/// Issue 9, item 3, through the real CLI: a run name is one folder inside --out, a collision is found before any work,
/// --overwrite replaces only ProbeBench run folders, and --json/--markdown never replace a folder, a device or an input.
/// </summary>
public class OutputPathTests
{
    private static string[] TinyRun(TempDirectory dir, params string[] extra) =>
    [
        "run", "--model", "tiny", "--weights", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
        "--model-config", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"),
        "--dataset", "cifar10", "--data-root", dir.File("data"), "--cache-root", dir.File("cache"), "--out", dir.File("root", "out"),
        "--layers", "cls@last", "--heads", "knn", "--knn-k", "5", "--limit-train", "40", "--limit-test", "20", "--batch-size", "20", .. extra,
    ];

    private static readonly string[] TinyBench =
        ["bench", "--models", "s", "--resolution", "28", "--batch-sizes", "1", "--repeats", "1", "--warmup", "0", "--batch1-repeats", "0"];

    private static string OneErrorLine(CliProcess.Outcome outcome)
    {
        Assert.Equal(2, outcome.ExitCode);
        Assert.DoesNotContain("   at ", outcome.All);
        var line = Assert.Single(outcome.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        return line;
    }

    [SharedFact]
    public void A_run_name_that_leaves_the_results_root_is_refused_and_nothing_outside_is_touched()
    {
        using var dir = new TempDirectory();
        // The victim: a folder beside --out that merely ends in .partial, with content ProbeBench did not write.
        Directory.CreateDirectory(dir.File("root", "victim.partial"));
        File.WriteAllText(dir.File("root", "victim.partial", "keep.txt"), "mine");

        foreach (var name in new[] { "../../X", "/abs", dir.File("abs"), "../victim", "..", "a/b", "" })
        {
            var line = OneErrorLine(CliProcess.Run(TinyRun(dir, "--name", name)));
            Assert.Contains($"Run name '{name}' must be one folder name", line);
        }
        Assert.Equal("mine", File.ReadAllText(dir.File("root", "victim.partial", "keep.txt")));
        Assert.Equal(["victim.partial"], Directory.EnumerateFileSystemEntries(dir.File("root")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(dir.File("X")) || Directory.Exists(dir.File("abs")) || Directory.Exists("/abs"));
        Assert.False(Directory.Exists(dir.File("cache")), "no work may start");
    }

    [SharedFact]
    public void A_taken_name_is_found_before_any_work_and_overwrite_replaces_only_run_folders()
    {
        using var dir = new TempDirectory();
        var earlier = new RunFolderWriter(dir.File("root", "out")).Write(ResultsTestData.Manifest("taken"), ResultsTestData.Rows());
        Directory.CreateDirectory(dir.File("root", "out", "mine"));
        File.WriteAllText(dir.File("root", "out", "mine", "notes.txt"), "not a run");
        File.WriteAllText(dir.File("root", "out", "plainfile"), "a file");

        Assert.Contains("already exists; choose another run name (--name) or pass --overwrite", OneErrorLine(CliProcess.Run(TinyRun(dir, "--name", "taken"))));
        Assert.Contains("is not a ProbeBench run folder", OneErrorLine(CliProcess.Run(TinyRun(dir, "--name", "mine", "--overwrite"))));
        Assert.Contains("exists and is not a run folder (a file or link)", OneErrorLine(CliProcess.Run(TinyRun(dir, "--name", "plainfile"))));
        Assert.False(Directory.Exists(dir.File("cache")), "each collision must be found before any work");
        Assert.Equal("not a run", File.ReadAllText(dir.File("root", "out", "mine", "notes.txt")));
        Assert.Equal("a file", File.ReadAllText(dir.File("root", "out", "plainfile")));

        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 10, testCount: 20, seed: 1);
        var replaced = CliProcess.Run(TinyRun(dir, "--name", "taken", "--overwrite"));
        Assert.True(replaced.ExitCode == 0, replaced.All);
        Assert.Contains(",knn,", File.ReadAllText(Path.Combine(earlier, ResultColumns.AccuracyFile)));
        Assert.DoesNotContain("\"test\": true", File.ReadAllText(Path.Combine(earlier, RunFolderWriter.ManifestFile)));
        Assert.True(File.Exists(Path.Combine(earlier, RunFolderWriter.CompleteMarker)));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.File("root", "out")), e => e.Contains(".replaced-") || e.EndsWith(".partial"));
    }

    [Fact]
    public void Bench_claims_its_run_folder_and_json_before_measuring()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.File("runs")).Write(ResultsTestData.Manifest("taken"), ResultsTestData.Rows());
        Directory.CreateDirectory(dir.File("a-folder"));

        var cases = new (string[] Args, string Expected)[]
        {
            (["--out", dir.File("runs"), "--name", "taken"], "already exists"),
            (["--out", dir.File("runs"), "--name", "../escape"], "must be one folder name"),
            (["--name", "lonely"], "--name and --overwrite name the run folder that --out writes; give --out too"),
            (["--json", ""], "--json: the file name is empty"),
            (["--json", dir.File("a-folder")], "is a folder; give a file name"),
        };
        foreach (var (args, expected) in cases)
        {
            var outcome = CliProcess.Run([.. TinyBench, .. args]);
            Assert.Contains(expected, OneErrorLine(outcome));
            Assert.DoesNotContain("img/s", outcome.StdOut); // refused before the grid ran
        }
        Assert.False(Directory.Exists(dir.File("escape")));
        Assert.Equal(["taken"], Directory.EnumerateFileSystemEntries(dir.File("runs")).Select(Path.GetFileName));

        var bench = CliProcess.Run([.. TinyBench, "--out", dir.File("runs"), "--name", "taken", "--overwrite", "--json", dir.File("bench.json")]);
        Assert.True(bench.ExitCode == 0, bench.All);
        Assert.Contains("random weights", File.ReadAllText(dir.File("runs", "taken", ResultColumns.SpeedFile)));
        Assert.Contains("MedianImagesPerSecond", File.ReadAllText(dir.File("bench.json")));
    }

    [SharedFact]
    public void Extract_json_may_not_replace_its_inputs_a_folder_or_a_device_and_is_checked_before_extracting()
    {
        using var dir = new TempDirectory();
        var fixture = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");
        var weights = dir.File("weights.pth");
        File.Copy(Path.Combine(fixture, "weights.pth"), weights);
        var digest = FileHashing.Sha256(weights);
        Directory.CreateDirectory(dir.File("a-folder"));
        var fifo = Fifo.Make(dir.File("fifo.json"));
        string[] Extract(string json) =>
        [
            "extract", "--model", "tiny", "--weights", weights, "--model-config", Path.Combine(fixture, "hf", "config.json"),
            "--dataset", "cifar10", "--data-root", dir.File("data"), "--cache-root", dir.File("cache"), "--limit-train", "10", "--limit-test", "10", "--json", json,
        ];

        Assert.Contains("would overwrite the input", OneErrorLine(CliProcess.Run(Extract(weights))));
        Assert.Contains("is a folder; give a file name", OneErrorLine(CliProcess.Run(Extract(dir.File("a-folder")))));
        Assert.Contains("is not a regular file (a FIFO, device or socket)", OneErrorLine(CliProcess.Run(Extract(fifo))));
        Assert.Equal(digest, FileHashing.Sha256(weights));
        Assert.Equal(FileKind.Special, FileKinds.Of(fifo));
        Assert.False(Directory.Exists(dir.File("cache")), "refused before any extraction");
    }

    [Fact]
    public void Compare_markdown_may_not_replace_its_inputs_a_folder_or_a_device()
    {
        using var dir = new TempDirectory();
        var baseline = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("base"), ResultsTestData.Rows());
        var candidate = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("cand"), ResultsTestData.Rows());
        var csv = Path.Combine(candidate, ResultColumns.AccuracyFile);
        var before = File.ReadAllText(csv);
        var fifo = Fifo.Make(dir.File("gate.md"));

        Assert.Contains("would overwrite the input", OneErrorLine(CliProcess.Run(["compare", baseline, candidate, "--markdown", csv])));
        Assert.Contains("would overwrite the input", OneErrorLine(CliProcess.Run(["compare", baseline, csv, "--markdown", Path.Combine(baseline, "extra.md")])));
        Assert.Contains("is a folder", OneErrorLine(CliProcess.Run(["compare", baseline, candidate, "--markdown", dir.Path])));
        Assert.Contains("is not a regular file", OneErrorLine(CliProcess.Run(["compare", baseline, candidate, "--markdown", fifo])));
        Assert.Equal(before, File.ReadAllText(csv));
        Assert.False(File.Exists(Path.Combine(baseline, "extra.md")));
        Assert.Equal(FileKind.Special, FileKinds.Of(fifo));

        var fine = CliProcess.Run(["compare", baseline, candidate, "--markdown", dir.File("reports", "gate.md")]);
        Assert.Equal(0, fine.ExitCode);
        Assert.Contains("ProbeBench compare", File.ReadAllText(dir.File("reports", "gate.md")));
    }

    [PermissionsFact]
    public void Compare_markdown_in_a_read_only_folder_is_one_line()
    {
        using var dir = new TempDirectory();
        var run = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("base"), ResultsTestData.Rows());
        Directory.CreateDirectory(dir.File("locked"));
        FilePermissions.ReadOnly(dir.File("locked"));
        try
        {
            var line = OneErrorLine(CliProcess.Run(["compare", run, run, "--markdown", dir.File("locked", "gate.md")], honourPermissions: true));
            Assert.Contains("--markdown", line);
            Assert.Contains("cannot be written", line);
        }
        finally
        {
            FilePermissions.Restore(dir.File("locked"));
        }
    }
}
