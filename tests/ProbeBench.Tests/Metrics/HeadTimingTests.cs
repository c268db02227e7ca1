using ProbeBench.Core;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;

namespace ProbeBench.Tests.Metrics;

public class HeadTimingTests
{
    [Fact]
    public void Measure_scores_everything_once_and_times_single_rows_after_a_warm_up()
    {
        var batchCalls = 0;
        var singleRows = new List<int>();
        var (result, timing) = HeadTiming.Measure(TimeSpan.FromSeconds(2.5), 100, () => ++batchCalls, singleRows.Add);

        Assert.Equal(1, result);
        Assert.Equal(1, batchCalls);
        Assert.Equal([0, .. Enumerable.Range(0, HeadTiming.LatencySamples)], singleRows);
        Assert.Equal(2.5, timing.TrainSeconds);
        Assert.True(timing.InferenceSamplesPerSecond > 0 && double.IsFinite(timing.InferenceSamplesPerSecond));
        Assert.True(timing.LatencyMsPerSample >= 0);
    }

    [Fact]
    public void Measure_times_no_more_rows_than_the_test_set_has_and_rejects_an_empty_one()
    {
        var singleRows = new List<int>();
        HeadTiming.Measure(TimeSpan.Zero, 3, () => 0, singleRows.Add);
        Assert.Equal([0, 0, 1, 2], singleRows);
        Assert.Throws<ProbeBenchException>(() => HeadTiming.Measure(TimeSpan.Zero, 0, () => 0, _ => { }));
    }
}
