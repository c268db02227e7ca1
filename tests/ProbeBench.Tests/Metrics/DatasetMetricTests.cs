using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;

namespace ProbeBench.Tests.Metrics;

/// <summary>Each dataset metric against values worked out by hand.</summary>
public sealed class DatasetMetricTests
{
    [Fact]
    public void Eleven_point_ap_of_a_hand_ranked_list()
    {
        // Ranked by score: +, -, +, -, + (3 positives). Precision/recall after each positive: 1/1 at r=1/3, 2/3 at r=2/3, 3/5 at r=1.
        // Envelope: t=0..0.3 → 1, t=0.4..0.6 → 2/3, t=0.7..1 → 3/5. AP = (4·1 + 3·2/3 + 4·3/5) / 11 = 8.4 / 11.
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f];
        sbyte[] targets = [1, -1, 1, -1, 1];
        Assert.Equal(8.4 / 11, AveragePrecision.ElevenPoint(scores, targets), 12);
    }

    [Fact]
    public void Difficult_samples_are_left_out_and_a_class_without_positives_has_no_ap()
    {
        // The difficult sample (0) ranked second is skipped: the list becomes +, + → AP 1.
        Assert.Equal(1.0, AveragePrecision.ElevenPoint([0.9f, 0.8f, 0.7f], [1, 0, 1]), 12);
        Assert.True(double.IsNaN(AveragePrecision.ElevenPoint([0.9f, 0.8f], [-1, -1])));
    }

    [Fact]
    public void Map_averages_classes_that_have_positives()
    {
        // Class 0: ranking +,- → AP 1. Class 1: scores rank sample 1 (−) above sample 0 (+): -,+ → precision 1/2 at recall 1 → AP 0.5.
        // Class 2: no positive → left out. mAP = 0.75.
        float[] scores = [0.9f, 0.2f, 0.1f, /* row 1 */ 0.3f, 0.8f, 0.5f];
        sbyte[][] targets = [[1, 1, -1], [-1, -1, -1]];
        var map = DatasetMetricEvaluator.MeanAveragePrecision(scores, targets, 3, new BootstrapOptions(200, 1));
        Assert.Equal(0.75, map.Value, 12);
        Assert.Equal(DatasetMetrics.Map11, map.Metric);
        Assert.True(map.CiLow <= map.CiHigh);
    }

    [Fact]
    public void Mean_per_class_accuracy_weighs_classes_equally()
    {
        // Class 0: 3 of 4 right; class 1: 0 of 1 right. Top-1 = 3/5, mean per class = (0.75 + 0) / 2.
        int[] labels = [0, 0, 0, 0, 1];
        int[] predicted = [0, 0, 0, 1, 0];
        var options = new BootstrapOptions(500, 3);
        Assert.Equal(0.6, DatasetMetricEvaluator.Classification(DatasetMetrics.Top1, labels, predicted, 2, options).Value, 12);
        var perClass = DatasetMetricEvaluator.Classification(DatasetMetrics.MeanPerClass, labels, predicted, 2, options);
        Assert.Equal(0.375, perClass.Value, 12);
        Assert.InRange(perClass.CiLow, 0, perClass.CiHigh);
        Assert.InRange(perClass.CiHigh, perClass.CiLow, 1);
    }

    [Fact]
    public void The_top1_interval_is_the_existing_bootstrap_interval_for_the_same_seed()
    {
        var labels = Enumerable.Range(0, 200).Select(i => i % 4).ToArray();
        var predicted = labels.Select((l, i) => i % 3 == 0 ? (l + 1) % 4 : l).ToArray();
        var options = new BootstrapOptions(300, 7);
        var mine = DatasetMetricEvaluator.Classification(DatasetMetrics.Top1, labels, predicted, 4, options);
        var (low, high) = Bootstrap.MeanInterval(labels.Select((l, i) => predicted[i] == l).ToArray(), options);
        Assert.Equal(low, mine.CiLow, 12);
        Assert.Equal(high, mine.CiHigh, 12);
    }
}
