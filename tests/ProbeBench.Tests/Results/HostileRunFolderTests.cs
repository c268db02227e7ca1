using System.Text.Json.Nodes;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

/// <summary>
/// Run folders that compare, results and export must not trust: FIFOs in place of their files, empty or cut-short results
/// files, flags that are not true or false, manifests of the wrong shape, and runs that never finished. Each is one
/// sentence naming the file, never a hang, a stack trace or a "no regression".
/// </summary>
public sealed class HostileRunFolderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Run(TempDirectory dir, string name, IReadOnlyList<ResultRow>? rows = null) =>
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest(name), rows ?? ResultsTestData.Rows());

    private static ProbeBenchException Refused(string baseline, string candidate) =>
        Assert.ThrowsAny<ProbeBenchException>(() => CompareRunner.Compare(baseline, candidate, new CompareOptions()));

    [Theory]
    [InlineData(ResultColumns.AccuracyFile)]
    [InlineData(ResultColumns.SpeedFile)]
    [InlineData(ResultsCsv.PredictionsFile)]
    [InlineData(RunFolderWriter.ManifestFile)]
    public async Task A_fifo_in_place_of_a_run_file_is_one_sentence_for_compare_show_and_list_and_never_blocks(string file)
    {
        using var dir = new TempDirectory();
        var baseline = Run(dir, "base");
        var candidate = Run(dir, "cand");
        var fifo = Path.Combine(candidate, file);
        File.Delete(fifo);
        Fifo.Make(fifo);

        await Task.Run(() =>
        {
            foreach (var error in new[] { Refused(baseline, candidate), Refused(candidate, baseline), Assert.Throws<ProbeBenchException>(() => RunFolderReader.Read(candidate)) })
            {
                Assert.Contains(fifo, error.Message);
                Assert.Contains("is not a regular file (a FIFO, device or socket), so it is not read.", error.Message);
            }
            Assert.Contains("is not a regular file", Assert.Single(RunFolders.List(dir.Path), r => r.Name == "cand").Problem);
        }).WaitAsync(Patience);
    }

    [Theory]
    [InlineData("Knn-report.csv")]
    [InlineData("Knn-report-full-compressed.json")]
    public async Task A_fifo_named_like_a_BenchmarkDotNet_report_is_refused_without_opening_it(string report)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("base"));
        Directory.CreateDirectory(dir.File("cand"));
        File.WriteAllText(dir.File("base", report), report.EndsWith(".csv")
            ? "Method,Mean,Error\nSearch,1.0 ms,0.1 ms\n"
            : """{"Benchmarks":[{"FullName":"K.Search","Statistics":{"Mean":1e6}}]}""");
        var fifo = Fifo.Make(dir.File("cand", report));

        var error = await Task.Run(() => Refused(dir.File("base"), dir.File("cand"))).WaitAsync(Patience);

        Assert.Equal($"BenchmarkDotNet report {fifo} is not a regular file (a FIFO, device or socket), so it is not read.", error.Message);
    }

    [Fact]
    public void An_empty_results_file_on_either_side_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        var baseline = Run(dir, "base");
        var candidate = Run(dir, "cand");
        var accuracy = Path.Combine(baseline, ResultColumns.AccuracyFile);
        File.WriteAllBytes(accuracy, []);

        Assert.StartsWith($"Results file {accuracy} is empty", Refused(baseline, candidate).Message);
        Assert.StartsWith($"Results file {accuracy} is empty", Refused(candidate, baseline).Message);
    }

    [Fact]
    public void A_side_with_header_only_results_fails_the_gate_as_an_error_while_a_bench_run_without_accuracy_rows_still_compares()
    {
        using var dir = new TempDirectory();
        var full = Run(dir, "full");
        var empty = Run(dir, "empty", []);
        Assert.Single(File.ReadAllLines(Path.Combine(empty, ResultColumns.AccuracyFile)));

        foreach (var (b, c, role) in new[] { (empty, full, "baseline"), (full, empty, "candidate") })
            Assert.Equal($"The {role}'s {Path.Combine(empty, ResultColumns.AccuracyFile)} and {ResultColumns.SpeedFile} hold no result rows (headers only, or missing); there is nothing of it to compare.",
                Refused(b, c).Message);

        // speed rows only, accuracy.csv header-only: a bench run as bench writes it.
        var bench = Run(dir, "bench", ResultsTestData.BenchRows());
        var again = Run(dir, "bench-again", ResultsTestData.BenchRows());
        Assert.False(CompareRunner.Compare(bench, again, new CompareOptions()).Regressed);
    }

    [Fact]
    public void A_row_cut_short_or_with_a_field_too_many_is_refused_naming_the_file_and_line()
    {
        using var dir = new TempDirectory();
        var run = Run(dir, "run");
        var csv = Path.Combine(run, ResultColumns.AccuracyFile);
        var lines = File.ReadAllLines(csv);
        var fields = lines[0].Split(',').Length;

        // A write that stopped in the middle of its last row (no line break after it).
        var text = File.ReadAllText(csv).TrimEnd('\n');
        File.WriteAllText(csv, text[..(text.LastIndexOf(',') - 1)]);
        var cut = Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(run)).Message;
        Assert.StartsWith($"{csv}: line {lines.Length} has ", cut);
        Assert.Contains($"fields where the header has {fields};", cut);

        lines[2] += ",surplus";
        File.WriteAllLines(csv, lines);
        Assert.Equal($"{csv}: line 3 has {fields + 1} fields where the header has {fields}; the row is cut short or not a row of this file.",
            Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(run)).Message);
    }

    [Fact]
    public void A_header_naming_a_column_twice_is_refused()
    {
        using var dir = new TempDirectory();
        var run = Run(dir, "run");
        var csv = Path.Combine(run, ResultColumns.AccuracyFile);
        var lines = File.ReadAllLines(csv);
        var first = lines[0].Split(',')[0];
        var second = lines[0].Split(',')[1];
        lines[0] = string.Join(',', lines[0].Split(',').Select((h, i) => i == 1 ? first : h));
        File.WriteAllLines(csv, lines);
        Assert.Equal($"Results file {csv} names the column {first} twice in its header; which one holds the values cannot be told.",
            Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(run)).Message);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_results_file_in_another_csv_dialect_is_not_guessed_into_reading()
    {
        using var dir = new TempDirectory();
        var run = Run(dir, "run");
        var csv = Path.Combine(run, ResultColumns.AccuracyFile);
        File.WriteAllText(csv, File.ReadAllText(csv).Replace(',', ';'));

        Assert.Contains($"{csv} is not a ProbeBench accuracy.csv of schema 2: it lacks the column(s) schema_version",
            Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(run)).Message);
    }

    [Theory]
    [InlineData(ResultColumns.AccuracyFile, "primary", "True")]
    [InlineData(ResultColumns.AccuracyFile, "primary", "yes")]
    [InlineData(ResultColumns.AccuracyFile, "synthetic_data", "")]
    [InlineData(ResultColumns.SpeedFile, "from_cache", "1")]
    [InlineData(ResultColumns.SpeedFile, "random_weights", "fals")]
    public void A_flag_that_is_not_exactly_true_or_false_is_refused_naming_file_line_and_column(string file, string column, string value)
    {
        using var dir = new TempDirectory();
        var run = Run(dir, "run");
        var csv = Path.Combine(run, file);
        var lines = File.ReadAllLines(csv);
        var index = Array.IndexOf(lines[0].Split(','), column);
        var cells = lines[1].Split(',');
        Assert.Contains(cells[index], new[] { "true", "false" });
        cells[index] = value;
        lines[1] = string.Join(',', cells);
        File.WriteAllLines(csv, lines);

        Assert.Equal($"{csv}: line 2, column {column}: '{value}' is not a valid value (a flag is true or false).",
            Assert.Throws<ProbeBenchException>(() => ResultsCsv.Read(run)).Message);
    }

    [Theory]
    [InlineData("Environment", "null", "Environment is missing")]
    [InlineData("Config", "null", "Config is missing")]
    [InlineData("Config", "[1, 2]", "Config is Array, not an object")]
    [InlineData("Config", "\"text\"", "Config is String, not an object")]
    [InlineData("RunName", "null", "RunName is missing")]
    [InlineData("Units", "[null]", "Units holds a null")]
    [InlineData("Notes", "null", "CheckpointSha256, DatasetFingerprints, Seeds, Notes or Units is null")]
    public void A_manifest_member_of_the_wrong_shape_is_named_instead_of_crashing_a_reader(string member, string json, string problem)
    {
        using var dir = new TempDirectory();
        var baseline = Run(dir, "base");
        var candidate = Run(dir, "cand");
        var manifest = EditManifest(candidate, m => m[member] = JsonNode.Parse(json));

        var expected = $"The manifest {manifest} is not valid ProbeBench JSON ({problem}).";
        Assert.Equal(expected, Assert.Throws<ProbeBenchException>(() => RunFolderReader.Read(candidate)).Message);
        Assert.Equal(expected, Refused(baseline, candidate).Message);
        Assert.Equal(expected, Assert.Single(RunFolders.List(dir.Path), r => r.Name == "cand").Problem);
    }

    [Theory]
    [InlineData("CacheRoot", "5", "Number", "cache-root")]
    [InlineData("DataRoot", "{\"a\": 1}", "Object", "data-root")]
    public async Task Export_names_a_manifest_root_that_is_not_a_path_instead_of_crashing(string key, string json, string kind, string option)
    {
        using var dir = new TempDirectory();
        var run = Run(dir, "run");
        var manifest = EditManifest(run, m =>
        {
            m["Config"]!["CacheRoot"] = dir.File("cache");
            m["Config"]![key] = JsonNode.Parse(json);
        });

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => FeatureExport.RunAsync(new FeatureExport.Request(run, dir.File("out"))));

        Assert.Equal($"The manifest {manifest} is not valid ProbeBench JSON (Config.{key} is {kind}, not a folder path); pass --{option}.", error.Message);
    }

    public static TheoryData<string, string> Unfinished() => new()
    {
        { "no-complete", $"has no {RunFolderWriter.CompleteMarker} marker (a run writes it last): its run never finished" },
        { "marker", $"holds {RunFolderWriter.PartialMarker}: its run crashed or is still being written" },
        { "renamed", "is named *.partial: its run crashed or is still being written" },
    };

    [Theory]
    [MemberData(nameof(Unfinished))]
    public async Task A_run_that_never_finished_is_refused_by_compare_and_export_and_shown_as_unfinished(string how, string why)
    {
        using var dir = new TempDirectory();
        var finished = Run(dir, "done");
        var run = Run(dir, "crashed");
        switch (how)
        {
            case "no-complete":
                File.Delete(Path.Combine(run, RunFolderWriter.CompleteMarker));
                break;
            case "marker":
                File.WriteAllText(Path.Combine(run, RunFolderWriter.PartialMarker), "a ProbeBench run being written\n");
                break;
            default:
                Directory.Move(run, run + ".partial");
                run += ".partial";
                break;
        }

        Assert.Equal($"The candidate {run} {why}; compare reads only finished runs.", Refused(finished, run).Message);
        Assert.Equal($"The baseline {run} {why}; compare reads only finished runs.", Refused(Path.Combine(run, ResultColumns.AccuracyFile), finished).Message);
        var export = await Assert.ThrowsAsync<ProbeBenchException>(() => FeatureExport.RunAsync(new FeatureExport.Request(run, dir.File("out"))));
        Assert.Equal($"The run {run} {why}; export reads only finished runs (its features may be incomplete).", export.Message);

        var shown = RunFolderReader.Read(run);
        Assert.False(shown.Complete);
        Assert.Equal(why, shown.Unfinished);
        Assert.True(RunFolderReader.Read(finished).Complete);
        Assert.Null(RunFolderReader.Read(finished).Unfinished);
    }

    [Fact]
    public async Task A_run_that_has_only_its_partial_folder_is_named_as_unfinished_not_as_missing()
    {
        using var dir = new TempDirectory();
        var finished = Run(dir, "done");
        Directory.CreateDirectory(dir.File("early.partial"));
        File.WriteAllText(dir.File("early.partial", RunFolderWriter.PartialMarker), "a ProbeBench run being written\n");

        Assert.Equal($"{dir.File("early")} has not finished: only {dir.File("early")}.partial exists (its run crashed or is still being written).",
            Refused(finished, dir.File("early")).Message);
        var export = await Assert.ThrowsAsync<UnfinishedRunException>(() => FeatureExport.RunAsync(new FeatureExport.Request("early", dir.File("out"), ResultsRoot: dir.Path)));
        Assert.Contains("has not finished", export.Message);
        var named = await Assert.ThrowsAsync<UnfinishedRunException>(() => FeatureExport.RunAsync(new FeatureExport.Request(dir.File("early.partial"), dir.File("out"))));
        Assert.Equal($"{dir.File("early.partial")} is an unfinished run folder (no {ResultColumns.AccuracyFile} or {ResultColumns.SpeedFile} yet).", named.Message);
    }

    [Fact]
    public void Through_the_cli_what_compare_cannot_trust_is_exit_2_and_one_line_and_show_notes_an_unfinished_run()
    {
        using var dir = new TempDirectory();
        var baseline = Run(dir, "base");
        var headers = Run(dir, "headers", []);
        var unfinished = Run(dir, "stopped");
        File.Delete(Path.Combine(unfinished, RunFolderWriter.CompleteMarker));
        var noEnvironment = Run(dir, "no-environment");
        EditManifest(noEnvironment, m => m["Environment"] = null);

        Assert.Contains("hold no result rows", OneErrorLine(CliProcess.Run(["compare", headers, baseline])));
        Assert.Contains("compare reads only finished runs", OneErrorLine(CliProcess.Run(["compare", baseline, unfinished])));
        Assert.Contains("(Environment is missing)", OneErrorLine(CliProcess.Run(["compare", baseline, noEnvironment])));
        Assert.Contains("(Environment is missing)", OneErrorLine(CliProcess.Run(["results", "show", "no-environment", "--out", dir.Path])));

        var show = CliProcess.Run(["results", "show", "stopped", "--out", dir.Path]);
        Assert.True(show.ExitCode == 0, show.All);
        Assert.Contains($"{unfinished} has no {RunFolderWriter.CompleteMarker} marker (a run writes it last): its run never finished; its results may be incomplete.", show.StdOut);
        var list = CliProcess.Run(["results", "list", "--out", dir.Path]);
        Assert.True(list.ExitCode == 0, list.All);
        Assert.Contains("unfinished", list.StdOut);
    }

    private static string EditManifest(string run, Action<JsonObject> edit)
    {
        var path = Path.Combine(run, RunFolderWriter.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static string OneErrorLine(CliProcess.Outcome outcome)
    {
        Assert.True(outcome.ExitCode == 2, outcome.All);
        Assert.DoesNotContain("   at ", outcome.All);
        var line = Assert.Single(outcome.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        return line;
    }
}
