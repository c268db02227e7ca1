using System.Text.Json.Nodes;
using ProbeBench.Core;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

public class BenchmarkDotNetReportTests
{
    /// <summary>The shape of BenchmarkDotNet's JSON exporters: Benchmarks[] with FullName and Statistics in nanoseconds.</summary>
    private static string Json(params (string FullName, double MeanNs, double MarginNs)[] benchmarks) => new JsonObject
    {
        ["Title"] = "ProbeBench.Benchmarks.KnnBench-20261123-090000",
        ["Benchmarks"] = new JsonArray(benchmarks.Select(b => (JsonNode)new JsonObject
        {
            ["DisplayInfo"] = "KnnBench.Search: ShortRun",
            ["FullName"] = b.FullName,
            ["Statistics"] = new JsonObject
            {
                ["N"] = 3, ["Mean"] = b.MeanNs, ["Median"] = b.MeanNs, ["StandardDeviation"] = b.MarginNs / 4,
                ["ConfidenceInterval"] = new JsonObject { ["N"] = 3, ["Mean"] = b.MeanNs, ["Level"] = 12, ["Margin"] = b.MarginNs },
            },
        }).ToArray()),
    }.ToJsonString();

    [Fact]
    public void Json_reports_give_mean_error_and_stddev_in_nanoseconds_and_skip_failed_benchmarks()
    {
        using var dir = new TempDirectory();
        var path = dir.File("ProbeBench.Benchmarks.KnnBench-report-full-compressed.json");
        var json = JsonNode.Parse(Json(("KnnBench.Search(Batch: 8)", 1.2e9, 1e7)))!;
        json["Benchmarks"]!.AsArray().Add(new JsonObject { ["FullName"] = "KnnBench.Broken", ["Statistics"] = null });
        File.WriteAllText(path, json.ToJsonString());

        var timing = Assert.Single(BenchmarkDotNetReport.Read(path));
        Assert.Equal(new BenchmarkTiming("KnnBench.Search(Batch: 8)", 1.2e9, 1e7, 2.5e6), timing);
    }

    [Fact]
    public void Json_reports_in_a_benchmarks_folder_are_gated_like_csv_ones()
    {
        using var dir = new TempDirectory();
        foreach (var (run, searchNs) in new[] { ("base", 1.20e9), ("noisy", 1.23e9), ("slow", 1.9e9) })
        {
            Directory.CreateDirectory(dir.File(run, "results", "benchmarks"));
            File.WriteAllText(dir.File(run, "results", "benchmarks", "ProbeBench.Benchmarks.KnnBench-report-full-compressed.json"),
                Json(("KnnBench.Search(Batch: 8)", searchNs, 4e7), ("KnnBench.Fit(Batch: 8)", 750_000, 20_000)));
        }

        Assert.False(CompareRunner.Compare(dir.File("base"), dir.File("noisy"), new CompareOptions()).Regressed);
        var slow = CompareRunner.Compare(dir.File("base"), dir.File("slow"), new CompareOptions());
        var regressed = Assert.Single(slow.Changes, c => c.Fails(slow.Options));
        Assert.Equal("KnnBench.Search(Batch: 8)", regressed.Row);
        Assert.Equal(1200, regressed.Baseline!.Value, 6);
        Assert.Equal(1900, regressed.Candidate!.Value, 6);
    }

    [Fact]
    public void A_benchmark_whose_candidate_run_failed_fails_the_gate_and_one_the_baseline_lacks_a_time_for_is_not_judged()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("A-report.csv"), "Method,Mean,Error\nOne,1.0 ms,0.01 ms\nTwo,NA,NA\nThree,1.0 ms,0.01 ms\n");
        File.WriteAllText(dir.File("B-report.csv"), "Method,Mean,Error\nOne,NA,NA\nTwo,1.0 ms,0.01 ms\nThree,1.0 ms,0.01 ms\n");
        var changes = BenchmarkDotNetReport.Compare(BenchmarkDotNetReport.Read(dir.File("A-report.csv")), BenchmarkDotNetReport.Read(dir.File("B-report.csv")), new CompareOptions());
        Assert.Equal([("One", Verdict.Missing), ("Two", Verdict.NotMeasured), ("Three", Verdict.Ok)], changes.Select(c => (c.Row, c.Verdict)));
        Assert.True(new Comparison(changes, [], new CompareOptions()).Regressed);
    }

    [Fact]
    public void A_benchmark_missing_from_the_candidate_report_fails()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("A-report-full-compressed.json"), Json(("A.One", 100, 1), ("A.Two", 100, 1)));
        File.WriteAllText(dir.File("B-report-full-compressed.json"), Json(("A.One", 100, 1)));
        var comparison = BenchmarkDotNetReport.Compare(
            BenchmarkDotNetReport.Read(dir.File("A-report-full-compressed.json")), BenchmarkDotNetReport.Read(dir.File("B-report-full-compressed.json")), new CompareOptions());
        Assert.True(new Comparison(comparison, [], new CompareOptions()).Regressed);
        Assert.Equal(["A.Two"], comparison.Where(c => c.Verdict == Verdict.Missing).Select(c => c.Row));
    }

    [Fact]
    public void Json_is_preferred_when_both_sides_have_it_and_a_csv_only_side_cannot_be_matched_with_a_json_only_one()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("both"));
        Directory.CreateDirectory(dir.File("json"));
        Directory.CreateDirectory(dir.File("csv"));
        File.WriteAllText(dir.File("both", "K-report.csv"), "Method,Mean,Error,StdDev\nSearch,1.0 ms,0.1 ms,0.1 ms\n");
        File.WriteAllText(dir.File("both", "K-report-full-compressed.json"), Json(("K.Search", 1e6, 1e5)));
        File.WriteAllText(dir.File("json", "K-report-full-compressed.json"), Json(("K.Search", 1e6, 1e5)));
        File.WriteAllText(dir.File("csv", "K-report.csv"), "Method,Mean,Error,StdDev\nSearch,1.0 ms,0.1 ms,0.1 ms\n");

        Assert.Equal("K.Search", Assert.Single(CompareRunner.Compare(dir.File("both"), dir.File("json"), new CompareOptions()).Changes).Row);
        Assert.Equal("Search", Assert.Single(CompareRunner.Compare(dir.File("both"), dir.File("csv"), new CompareOptions()).Changes).Row);
        Assert.Contains("only CSV", Assert.Throws<ProbeBenchException>(() => CompareRunner.Compare(dir.File("csv"), dir.File("json"), new CompareOptions())).Message);
    }

    [Theory]
    [InlineData("X-report.csv", "Method,Median\nSearch,1.0 ms\n", "no Mean column")]
    [InlineData("X-report.csv", "Method,Mean\nSearch,fast\n", "not a BenchmarkDotNet duration")]
    [InlineData("X-report.csv", "Method,Mean\nSearch,-1 ns\n", "not a BenchmarkDotNet duration")]
    [InlineData("X-report.csv", "Method,Mean\nSearch,Infinity ns\n", "not a BenchmarkDotNet duration")]
    [InlineData("X-report-full-compressed.json", "{\"Benchmarks\": [{\"FullName\": \"A\", \"Statistics\": {\"Mean\": -5}}]}", "negative or non-finite time")]
    [InlineData("X-report.csv", "Method,Mean\nSearch,1.0 ms\nSearch,2.0 ms\n", "two benchmarks named Search")]
    [InlineData("X-report-full-compressed.json", "{\"Title\":\"x\"}", "no Benchmarks array")]
    [InlineData("X-report-full-compressed.json", "{\"Benchmarks\": [", "not a readable BenchmarkDotNet JSON report")]
    public void Malformed_reports_are_one_clear_error_naming_the_file(string name, string content, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(name), content);
        var e = Assert.Throws<ProbeBenchException>(() =>
            BenchmarkDotNetReport.Compare(BenchmarkDotNetReport.Read(dir.File(name)), [], new CompareOptions()));
        Assert.Contains(expected, e.Message);
        if (expected != "two benchmarks named Search") Assert.Contains(dir.File(name), e.Message);
    }

    [Theory]
    [InlineData("Ns.KnnBench-report.csv", "Ns.KnnBench")]
    [InlineData("Ns.KnnBench-report-full-compressed.json", "Ns.KnnBench")]
    [InlineData("Ns.KnnBench-report-brief.json", "Ns.KnnBench")]
    [InlineData("Ns.KnnBench-measurements.csv", null)]
    [InlineData("report.md", null)]
    public void Report_files_are_recognised_by_their_exporter_suffix(string file, string? name) =>
        Assert.Equal(name, BenchmarkDotNetReport.ReportName(file));
}
