using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;

namespace ProbeBench.Core.Metrics;

/// <summary>Turns labels and a head's scores into <see cref="ClassificationMetrics"/>.</summary>
public static class ClassificationEvaluator
{
    public static ClassificationMetrics Evaluate(IReadOnlyList<int> labels, ClassScores scores, BootstrapOptions? bootstrap = null)
    {
        bootstrap ??= new BootstrapOptions();
        if (labels.Count != scores.Rows)
            throw new ProbeBenchException($"Evaluation got {labels.Count} labels for {scores.Rows} scored samples.");
        if (labels.Count == 0) throw new ProbeBenchException("Evaluation needs at least one test sample.");
        var classes = scores.ClassCount;
        var confusion = new int[classes * classes];
        var correct = new bool[labels.Count];
        int top5 = 0;
        double logLoss = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            if ((uint)label >= (uint)classes) throw new ProbeBenchException($"Test label {label} at row {i} is outside [0, {classes}).");
            var row = scores.Row(i);
            var predicted = scores.ArgMax(i);
            confusion[label * classes + predicted]++;
            correct[i] = predicted == label;
            if (RankOf(row, label) < 5) top5++;
            if (scores.AreProbabilities) logLoss -= Math.Log(Math.Max(row[label], 1e-15));
        }

        var perClass = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            var total = 0;
            for (var p = 0; p < classes; p++) total += confusion[c * classes + p];
            perClass[c] = total == 0 ? double.NaN : (double)confusion[c * classes + c] / total;
        }
        var present = perClass.Where(a => !double.IsNaN(a)).ToList();
        var (low, high) = Bootstrap.MeanInterval(correct, bootstrap);
        return new ClassificationMetrics(
            labels.Count, classes,
            correct.Count(c => c) / (double)labels.Count, low, high,
            top5 / (double)labels.Count,
            present.Average(),
            perClass, confusion,
            scores.AreProbabilities ? logLoss / labels.Count : null,
            bootstrap.Samples, bootstrap.Seed);
    }

    /// <summary>Whether each sample's top-1 prediction is right (for paired comparisons).</summary>
    public static bool[] Correctness(IReadOnlyList<int> labels, ClassScores scores) =>
        Enumerable.Range(0, labels.Count).Select(i => scores.ArgMax(i) == labels[i]).ToArray();

    // The label's place in the reference's top-k (torch.topk over the scores, as DINOv2's torchmetrics accuracy takes it):
    // classes scoring higher come first, and a class tying with the label comes first when its index is lower. So five
    // zero-vote classes tied with a zero-vote label do not all count as "inside the top 5" (k-NN leaves most classes at 0).
    private static int RankOf(ReadOnlySpan<float> row, int label)
    {
        var rank = 0;
        for (var c = 0; c < row.Length; c++)
            if (row[c] > row[label] || (row[c] == row[label] && c < label)) rank++;
        return rank;
    }
}
