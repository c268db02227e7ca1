using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

public class ResultsComparerTests
{
    [Fact]
    public void Identical_runs_pass()
    {
        var rows = ResultsTestData.Rows();
        var comparison = ResultsComparer.Compare(rows, rows);
        Assert.False(comparison.Regressed);
        Assert.Equal(4 + 2 + 3 * 2, comparison.Changes.Count); // top-1 per accuracy row; img/s and latency per extraction and speed row
    }

    [Fact]
    public void An_accuracy_drop_beyond_the_intervals_fails_naming_the_row()
    {
        var candidate = ResultsTestData.Rows();
        candidate[2] = candidate[2] with { Top1 = candidate[2].Top1 - 0.08, Top1CiLow = candidate[2].Top1CiLow - 0.08, Top1CiHigh = candidate[2].Top1CiHigh - 0.08 };
        var comparison = ResultsComparer.Compare(ResultsTestData.Rows(), candidate);
        var regressed = Assert.Single(comparison.Changes, c => c.Regressed);
        Assert.Equal("tiny cifar10 cls@2 logreg C=1", regressed.Row);
        Assert.Equal("top-1 %", regressed.Metric);
        Assert.Contains("**regressed**", ResultsComparer.ToMarkdown(comparison, "a", "b"));
    }

    [Fact]
    public void A_small_accuracy_wobble_within_the_intervals_passes_unless_a_threshold_says_otherwise()
    {
        var candidate = ResultsTestData.Rows();
        candidate[1] = candidate[1] with { Top1 = candidate[1].Top1 - 0.01 };
        Assert.False(ResultsComparer.Compare(ResultsTestData.Rows(), candidate).Regressed);
        Assert.True(ResultsComparer.Compare(ResultsTestData.Rows(), candidate, new CompareOptions(AccuracyDropPoints: 0.5)).Regressed);
    }

    [Fact]
    public void A_slowdown_beyond_threshold_and_spread_fails_but_noise_within_the_spread_passes()
    {
        var slower = ResultsTestData.Rows();
        var speed = slower.FindIndex(r => r.Kind == "speed" && r.BatchSize == 32);
        slower[speed] = slower[speed] with { ImagesPerSecond = 8, ImagesPerSecondMin = 7.5, ImagesPerSecondMax = 8.5 };
        var comparison = ResultsComparer.Compare(ResultsTestData.Rows(), slower);
        var regressed = Assert.Single(comparison.Changes, c => c.Regressed);
        Assert.Equal("speed dinov2_vits14 fp32 224px batch 32 (cpu)", regressed.Row);
        Assert.Equal("img/s", regressed.Metric);

        // 12 % slower at the median, but the spreads overlap: noise, not a regression.
        var noisy = ResultsTestData.Rows();
        noisy[speed] = noisy[speed] with { ImagesPerSecond = 12.3, ImagesPerSecondMin = 10, ImagesPerSecondMax = 14 };
        Assert.False(ResultsComparer.Compare(ResultsTestData.Rows(), noisy).Regressed);
    }

    [Fact]
    public void A_latency_rise_beyond_the_baseline_p95_fails()
    {
        var slower = ResultsTestData.Rows();
        var extraction = slower.FindIndex(r => r.Kind == "extraction");
        slower[extraction] = slower[extraction] with { LatencyP50Ms = 200 };
        var regressed = Assert.Single(ResultsComparer.Compare(ResultsTestData.Rows(), slower).Changes, c => c.Regressed);
        Assert.Equal("latency p50 ms", regressed.Metric);
    }

    [Fact]
    public void A_row_missing_from_the_candidate_fails()
    {
        var candidate = ResultsTestData.Rows().Skip(1).ToList();
        var comparison = ResultsComparer.Compare(ResultsTestData.Rows(), candidate);
        Assert.True(comparison.Regressed);
        Assert.Equal(["tiny cifar10 cls@0 logreg C=1"], comparison.MissingInCandidate);
    }

    [Fact]
    public void BenchmarkDotNet_reports_are_gated_on_mean_beyond_error()
    {
        using var dir = new TempDirectory();
        const string header = "Method,Job,Batch,Mean,Error,StdDev\n";
        Directory.CreateDirectory(dir.File("base"));
        Directory.CreateDirectory(dir.File("same"));
        Directory.CreateDirectory(dir.File("slow"));
        File.WriteAllText(dir.File("base", "Knn-report.csv"), header + "Search,ShortRun,8,\"1,200.0 ms\",10.0 ms,5.0 ms\nFit,ShortRun,8,750.5 μs,20.1 μs,3.2 μs\n");
        File.WriteAllText(dir.File("same", "Knn-report.csv"), header + "Search,ShortRun,8,\"1,230.0 ms\",40.0 ms,5.0 ms\nFit,ShortRun,8,760.0 μs,20.1 μs,3.2 μs\n");
        File.WriteAllText(dir.File("slow", "Knn-report.csv"), header + "Search,ShortRun,8,1.9 s,10.0 ms,5.0 ms\nFit,ShortRun,8,760.0 μs,20.1 μs,3.2 μs\n");

        Assert.False(CompareRunner.Compare(dir.File("base"), dir.File("same"), new CompareOptions()).Regressed);
        var slow = CompareRunner.Compare(dir.File("base"), dir.File("slow"), new CompareOptions());
        var regressed = Assert.Single(slow.Changes, c => c.Regressed);
        Assert.Equal("Search | ShortRun | 8", regressed.Row);
        Assert.Equal(1200, regressed.Baseline, 6);
    }

    [Fact]
    public void The_compare_command_exits_1_on_regression_0_on_pass_and_2_on_bad_input()
    {
        using var dir = new TempDirectory();
        var rows = ResultsTestData.Rows();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("base"), rows, []);
        var worse = rows.ToList();
        worse[0] = worse[0] with { Top1 = 0.5, Top1CiLow = 0.45, Top1CiHigh = 0.55 };
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("worse"), worse, []);

        Assert.Equal(0, CliProcess.Run(["compare", dir.File("base"), dir.File("base")]).ExitCode);
        var regression = CliProcess.Run(["compare", dir.File("base"), dir.File("worse"), "--markdown", dir.File("gate.md")]);
        Assert.Equal(1, regression.ExitCode);
        Assert.Contains("tiny cifar10 cls@0 logreg C=1", File.ReadAllText(dir.File("gate.md")));
        var missing = CliProcess.Run(["compare", dir.File("base"), dir.File("nope")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StdErr);
    }
}
