using ProbeBench.Core;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;
using static ProbeBench.Tests.Results.ResultsTestData;

namespace ProbeBench.Tests.Results;

public class ResultsComparerTests
{
    [Fact]
    public void Identical_runs_pass_and_every_measurement_is_compared()
    {
        var comparison = ResultsComparer.Compare(Rows(), Rows());
        Assert.False(comparison.Regressed);
        // top-1 per accuracy row; throughput and batch latency per extraction row.
        Assert.Equal(4 + 2 * 2, comparison.Changes.Count);
        Assert.All(comparison.Changes, c => Assert.Equal(Verdict.Ok, c.Verdict));
    }

    [Fact]
    public void A_five_point_drop_on_the_same_samples_fails_by_the_paired_rule_naming_the_row()
    {
        var candidate = Rows();
        candidate[2] = Accuracy(2, 304 - 20);
        var comparison = ResultsComparer.Compare(Rows(), candidate);
        var regressed = Assert.Single(comparison.Changes, c => c.Fails(comparison.Options));
        Assert.Equal("tiny cifar10 cls@2 logreg C grid coarse (8 values)", regressed.Row);
        Assert.Equal(("top-1 %", Verdict.Regressed), (regressed.Metric, regressed.Verdict));
        Assert.StartsWith("paired on 400 samples", regressed.Rule);
        Assert.Contains("REGRESSION", CompareReport.Markdown(comparison, "a", "b"));
    }

    [Fact]
    public void A_one_sample_wobble_is_inside_the_paired_interval_and_passes()
    {
        var candidate = Rows();
        candidate[1] = Accuracy(1, 292 - 1);
        Assert.False(ResultsComparer.Compare(Rows(), candidate).Regressed);
    }

    [Fact]
    public void The_chosen_hyper_parameter_is_reported_not_matched()
    {
        var candidate = Rows();
        candidate[0] = candidate[0] with { Chosen = "C=1000" };
        var comparison = ResultsComparer.Compare(Rows(), candidate);
        Assert.False(comparison.Regressed);
        Assert.DoesNotContain(comparison.Changes, c => c.Verdict is Verdict.Missing or Verdict.New);
    }

    [Fact]
    public void Without_predictions_the_unpaired_rule_applies_and_a_forged_interval_cannot_widen_the_tolerance()
    {
        static List<ResultRow> Bare(IEnumerable<ResultRow> rows) => rows.Select(r => r with { Predictions = null, TestLabels = null }).ToList();
        var candidate = Bare(Rows());
        candidate[3] = candidate[3] with { Top1 = candidate[3].Top1 - 0.30, Top1CiLow = 0, Top1CiHigh = 1 };
        var comparison = ResultsComparer.Compare(Bare(Rows()), candidate);
        var regressed = Assert.Single(comparison.Changes, c => c.Fails(comparison.Options));
        Assert.StartsWith("unpaired (a side has no per-sample predictions)", regressed.Rule);
        Assert.Contains("drop ≤ 5.66 pp", regressed.Rule); // √2 × the baseline's half-width of 4 pp

        var small = Bare(Rows());
        small[3] = small[3] with { Top1 = small[3].Top1 - 0.02, Top1CiLow = small[3].Top1CiLow - 0.02, Top1CiHigh = small[3].Top1CiHigh - 0.02 };
        Assert.False(ResultsComparer.Compare(Bare(Rows()), small).Regressed);
    }

    [Theory]
    [InlineData(double.NaN, "top-1 is NaN %, not a percentage in [0, 100]")]
    [InlineData(1e308, "not a percentage in [0, 100]")]
    [InlineData(-0.1, "not a percentage in [0, 100]")]
    public void Impossible_values_are_errors_naming_the_row(double top1, string message)
    {
        var candidate = Rows();
        candidate[0] = candidate[0] with { Top1 = top1, Predictions = null };
        var e = Assert.Throws<ProbeBenchException>(() => ResultsComparer.Compare(Rows(), candidate));
        Assert.Contains("The candidate's row tiny cifar10 cls@0 logreg", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void An_empty_value_or_a_top1_that_disagrees_with_its_predictions_is_an_error()
    {
        var empty = Rows();
        empty[0] = empty[0] with { Top1 = null };
        Assert.Contains("top-1 is empty", Assert.Throws<ProbeBenchException>(() => ResultsComparer.Compare(Rows(), empty)).Message);
        var edited = Rows();
        edited[0] = edited[0] with { Top1 = 0.9, Top1CiLow = 0.85, Top1CiHigh = 0.95 };
        Assert.Contains("disagrees with its own predictions", Assert.Throws<ProbeBenchException>(() => ResultsComparer.Compare(Rows(), edited)).Message);
    }

    [Fact]
    public void A_backbone_30_percent_slower_fails_while_3_percent_inside_the_noise_passes()
    {
        var slower = BenchRows(factor: 1.3, seed: 50);
        var comparison = ResultsComparer.Compare(BenchRows(), slower);
        Assert.True(comparison.Regressed);
        Assert.Contains(comparison.Changes, c => c.Metric == "img/s" && c.Verdict == Verdict.Regressed && c.Rule.Contains("p = "));

        var wobble = ResultsComparer.Compare(BenchRows(noise: 0.1), BenchRows(factor: 1.03, noise: 0.1, seed: 60));
        Assert.False(wobble.Regressed);
        Assert.All(wobble.Changes, c => Assert.Contains(c.Verdict, new[] { Verdict.Ok, Verdict.Noisy, Verdict.Improved }));
    }

    [Fact]
    public void On_another_processor_a_slowdown_is_reported_but_fails_only_when_strict()
    {
        // The same 30 % slowdown that fails on one machine: measured on another CPU (or GPU), the matmul rate cannot say
        // whether ProbeBench or the hardware is slower.
        var slower = BenchRows(factor: 1.3, seed: 50);
        foreach (var (other, says) in new[]
        {
            (slower.Select(r => r with { Cpu = "Intel(R) Xeon(R) Processor" }).ToList(), "the CPUs differ (AMD EPYC, Intel(R) Xeon(R) Processor)"),
        })
        {
            var comparison = ResultsComparer.Compare(BenchRows(), other);
            Assert.False(comparison.Regressed);
            Assert.Contains(comparison.Changes, c => c.Metric == "img/s" && c.Verdict == Verdict.Noisy && c.Rule.EndsWith($"{says}: not a regression this comparison can tell"));
            Assert.True(ResultsComparer.Compare(BenchRows(), other, new CompareOptions(Strict: true)).Regressed);
        }

        // A CUDA row is judged by its GPU: the same GPU behind another host CPU still fails, another GPU is noisy;
        // a CPU row on a box that happens to have a GPU is still judged by its CPU.
        List<ResultRow> Cuda(List<ResultRow> rows, string gpu, string cpu) => rows.Select(r => r with { Device = "cuda", Gpu = gpu, Cpu = cpu }).ToList();
        Assert.True(ResultsComparer.Compare(Cuda(BenchRows(), "NVIDIA H100", "AMD EPYC"), Cuda(slower, "NVIDIA H100", "Intel Xeon")).Regressed);
        var otherGpu = ResultsComparer.Compare(Cuda(BenchRows(), "NVIDIA H100", "AMD EPYC"), Cuda(slower, "NVIDIA H200", "AMD EPYC"));
        Assert.False(otherGpu.Regressed);
        Assert.Contains(otherGpu.Changes, c => c.Rule.EndsWith("the GPUs differ (NVIDIA H100, NVIDIA H200): not a regression this comparison can tell"));
        Assert.True(ResultsComparer.Compare(BenchRows(), slower.Select(r => r with { Gpu = "NVIDIA H200" }).ToList()).Regressed);
    }

    [Fact]
    public void A_slowdown_the_timings_cannot_confirm_is_noisy_and_fails_only_when_strict()
    {
        // 15 % slower at the median but with 60 % spread and few timings: beyond the threshold, not significant.
        var baseline = BenchRows(noise: 0.6).Select(r => r with { BatchMs = r.BatchMs.Take(10).ToList(), Batch1Ms = [] }).ToList();
        var candidate = BenchRows(factor: 1.15, noise: 0.6, seed: 9).Select(r => r with { BatchMs = r.BatchMs.Take(10).ToList(), Batch1Ms = [] }).ToList();
        var comparison = ResultsComparer.Compare(baseline, candidate);
        Assert.Contains(comparison.Changes, c => c.Verdict == Verdict.Noisy);
        Assert.DoesNotContain(comparison.Changes, c => c.Verdict == Verdict.Regressed);
        Assert.False(comparison.Regressed);
        Assert.True(ResultsComparer.Compare(baseline, candidate, new CompareOptions(Strict: true)).Regressed);
    }

    [Fact]
    public void A_split_read_from_the_cache_is_not_measured_and_fails_only_when_speed_is_required()
    {
        var cached = Rows().Select(r => r.IsSpeed ? r with { FromCache = true, BatchMs = [], ImagesPerSecond = null } : r).ToList();
        var comparison = ResultsComparer.Compare(Rows(), cached);
        Assert.False(comparison.Regressed);
        Assert.Equal(2, comparison.Count(Verdict.NotMeasured));
        Assert.True(ResultsComparer.Compare(Rows(), cached, new CompareOptions(RequireSpeed: true)).Regressed);
    }

    [Fact]
    public void A_row_missing_from_the_candidate_fails()
    {
        var comparison = ResultsComparer.Compare(Rows(), Rows().Skip(1).ToList());
        Assert.True(comparison.Regressed);
        Assert.Equal("tiny cifar10 cls@0 logreg C grid coarse (8 values)", Assert.Single(comparison.Changes, c => c.Verdict == Verdict.Missing).Row);
    }

    [Fact]
    public void A_bench_run_is_never_compared_with_an_evaluation_run()
    {
        var e = Assert.Throws<ProbeBenchException>(() => ResultsComparer.Compare(BenchRows(), Rows()));
        Assert.Contains("The baseline is a bench run and the candidate an evaluation run", e.Message);
    }

    [Fact]
    public void Mann_Whitney_is_sure_of_a_clear_shift_and_not_of_none()
    {
        var low = Enumerable.Range(1, 10).Select(i => (double)i).ToList();
        var high = Enumerable.Range(11, 10).Select(i => (double)i).ToList();
        Assert.InRange(MannWhitney.PGreater(high, low)!.Value, 0, 1e-3);   // z = 3.74
        Assert.InRange(MannWhitney.PGreater(low, high)!.Value, 0.999, 1);
        Assert.InRange(MannWhitney.PGreater(low, low)!.Value, 0.4, 0.6);
        Assert.Null(MannWhitney.PGreater(low.Take(5).ToList(), high));
    }

    [Fact]
    public void The_json_and_junit_forms_carry_every_verdict()
    {
        var candidate = Rows();
        candidate[2] = Accuracy(2, 304 - 20);
        var comparison = ResultsComparer.Compare(Rows(), candidate);
        var junit = System.Xml.Linq.XDocument.Parse(CompareReport.JUnit(comparison, "a", "b"));
        Assert.Equal("1", junit.Root!.Element("testsuite")!.Attribute("failures")!.Value);
        Assert.Equal(comparison.Changes.Count, junit.Descendants("testcase").Count());
        using var json = System.Text.Json.JsonDocument.Parse(CompareReport.Json(comparison, "a", "b"));
        Assert.True(json.RootElement.GetProperty("regressed").GetBoolean());
        Assert.Equal(comparison.Changes.Count, json.RootElement.GetProperty("changes").GetArrayLength());
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
        var regressed = Assert.Single(slow.Changes, c => c.Fails(slow.Options));
        Assert.Equal("Search | ShortRun | 8", regressed.Row);
        Assert.Equal(1200, regressed.Baseline!.Value, 6);
    }
}
