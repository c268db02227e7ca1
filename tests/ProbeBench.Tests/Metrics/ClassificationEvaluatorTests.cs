using ProbeBench.Core;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;

namespace ProbeBench.Tests.Metrics;

public class ClassificationEvaluatorTests
{
    // Six samples, three classes, probabilities.
    private static readonly int[] Labels = [0, 0, 1, 1, 2, 2];
    private static readonly ClassScores Scores = new(
    [
        0.7f, 0.2f, 0.1f,   // right
        0.3f, 0.6f, 0.1f,   // wrong (1), label second
        0.1f, 0.8f, 0.1f,   // right
        0.1f, 0.8f, 0.1f,   // right
        0.5f, 0.3f, 0.2f,   // wrong (0), label third
        0.2f, 0.2f, 0.6f,   // right
    ], 6, 3, AreProbabilities: true);

    [Fact]
    public void Computes_top1_balanced_accuracy_confusion_and_log_loss_by_hand()
    {
        var m = ClassificationEvaluator.Evaluate(Labels, Scores, new BootstrapOptions(Samples: 200, Seed: 1));
        Assert.Equal(4 / 6.0, m.Top1, 12);
        Assert.Equal(1.0, m.Top5);
        Assert.Equal([0.5, 1.0, 0.5], m.PerClassAccuracy);
        Assert.Equal(2 / 3.0, m.BalancedAccuracy, 12);
        Assert.Equal([1, 1, 0, 0, 2, 0, 1, 0, 1], m.Confusion);
        Assert.Equal(1, m.ConfusionAt(2, 0));
        var expectedLogLoss = -(Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.8) + Math.Log(0.8) + Math.Log(0.2) + Math.Log(0.6)) / 6;
        Assert.Equal(expectedLogLoss, m.LogLoss!.Value, 6);
    }

    [Fact]
    public void Top5_counts_labels_within_the_five_highest_scores()
    {
        // Eight classes; the label is 6th for sample 0 and 5th for sample 1.
        float[] Row(int labelRank) => Enumerable.Range(0, 8).Select(c => c == 0 ? 8f - labelRank : c < labelRank + 1 ? 10f + c : 0f).ToArray();
        var scores = new ClassScores([.. Row(5), .. Row(4)], 2, 8, AreProbabilities: false);
        var m = ClassificationEvaluator.Evaluate([0, 0], scores);
        Assert.Equal(0.5, m.Top5);
        Assert.Null(m.LogLoss);
    }

    [Fact]
    public void Top5_breaks_ties_by_class_index_like_torch_topk()
    {
        // A k-NN row over 12 classes: two classes got votes, ten tie at zero. torch.topk(5) takes classes 0 and 1, then the
        // three lowest-indexed zero classes (2, 3, 4), so a zero-vote label is inside the top 5 only at index 2 to 4.
        float[] row = [0.7f, 0.3f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var labels = Enumerable.Range(0, 12).ToArray();
        var scores = new ClassScores(labels.SelectMany(_ => row).ToArray(), 12, 12, AreProbabilities: true);
        var m = ClassificationEvaluator.Evaluate(labels, scores);
        Assert.Equal(5 / 12.0, m.Top5, 12);
        Assert.Equal(1 / 12.0, m.Top1, 12);
    }

    [Fact]
    public void Bootstrap_interval_is_seeded_and_contains_the_point_estimate()
    {
        var random = new Random(4);
        var labels = Enumerable.Range(0, 400).Select(i => i % 4).ToArray();
        var scores = new ClassScores(Enumerable.Range(0, 1600).Select(_ => (float)random.NextDouble()).ToArray(), 400, 4, false);
        var a = ClassificationEvaluator.Evaluate(labels, scores, new BootstrapOptions(Seed: 7));
        var b = ClassificationEvaluator.Evaluate(labels, scores, new BootstrapOptions(Seed: 7));
        var c = ClassificationEvaluator.Evaluate(labels, scores, new BootstrapOptions(Seed: 8));
        Assert.Equal((a.Top1CiLow, a.Top1CiHigh), (b.Top1CiLow, b.Top1CiHigh));
        Assert.NotEqual((a.Top1CiLow, a.Top1CiHigh), (c.Top1CiLow, c.Top1CiHigh));
        Assert.InRange(a.Top1, a.Top1CiLow, a.Top1CiHigh);
        // Binomial standard error at n = 400 is about 2.2 points: the 95% interval spans roughly ±4.3 points.
        Assert.InRange(a.Top1CiHigh - a.Top1CiLow, 0.06, 0.11);
    }

    [Fact]
    public void Paired_difference_interval_excludes_zero_only_for_a_real_difference()
    {
        var better = Enumerable.Range(0, 500).Select(i => i % 10 != 0).ToArray();   // 90 %
        var worse = Enumerable.Range(0, 500).Select(i => i % 5 != 0).ToArray();     // 80 %, errors a superset
        var (low, high) = Bootstrap.PairedDifferenceInterval(worse, better, new BootstrapOptions(Seed: 1));
        Assert.True(low > 0.05 && high < 0.15, $"[{low}, {high}]");
        var (sameLow, sameHigh) = Bootstrap.PairedDifferenceInterval(better, better, new BootstrapOptions(Seed: 1));
        Assert.Equal((0.0, 0.0), (sameLow, sameHigh));
    }

    [Fact]
    public void Mismatched_or_bad_labels_are_errors()
    {
        Assert.Contains("6 scored samples", Assert.Throws<ProbeBenchException>(() => ClassificationEvaluator.Evaluate([0, 1], Scores)).Message);
        Assert.Contains("outside [0, 3)", Assert.Throws<ProbeBenchException>(() => ClassificationEvaluator.Evaluate([0, 0, 1, 1, 2, 3], Scores)).Message);
    }
}
