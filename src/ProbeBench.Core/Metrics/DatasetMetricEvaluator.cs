using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Metrics;

/// <summary>A dataset's headline metric with its seeded percentile-bootstrap 95% interval.</summary>
public sealed record MetricValue(string Metric, double Value, double CiLow, double CiHigh);

/// <summary>
/// Computes the headline metric a dataset is reported with (<see cref="DatasetMetrics"/>): top-1, mean per-class
/// accuracy, or 11-point mAP (multi-label), each with a bootstrap interval over test samples resampled with
/// replacement (the same draws for every statistic of one seed).
/// </summary>
public static class DatasetMetricEvaluator
{
    /// <summary>Top-1 or mean per-class accuracy of single-label predictions.</summary>
    public static MetricValue Classification(string metric, IReadOnlyList<int> labels, IReadOnlyList<int> predicted, int classCount, BootstrapOptions options)
    {
        if (labels.Count != predicted.Count || labels.Count == 0)
            throw new ProbeBenchException($"Metric {metric} needs one prediction per label; got {predicted.Count} for {labels.Count}.");
        double Statistic(ReadOnlySpan<int> weights) => metric switch
        {
            DatasetMetrics.Top1 => Top1(labels, predicted, weights),
            DatasetMetrics.MeanPerClass => MeanPerClass(labels, predicted, classCount, weights),
            _ => throw new ProbeBenchException($"Metric '{metric}' is not a single-label metric."),
        };
        var value = Statistic(default);
        var (low, high) = Bootstrap.WeightedInterval(labels.Count, options, Statistic);
        return new MetricValue(metric, value, low, high);
    }

    /// <summary>11-point mAP of per-class scores (rows × classes, row-major) against multi-label targets.</summary>
    public static MetricValue MeanAveragePrecision(float[] scores, sbyte[][] targets, int classCount, BootstrapOptions options)
    {
        var rows = targets.Length;
        if (rows == 0 || scores.Length != (long)rows * classCount)
            throw new ProbeBenchException($"mAP needs {rows} × {classCount} scores; got {scores.Length}.");
        var columns = new sbyte[classCount][];
        var orders = new int[classCount][];
        for (var c = 0; c < classCount; c++)
        {
            columns[c] = targets.Select(t => t[c]).ToArray();
            var column = new float[rows];
            for (var r = 0; r < rows; r++) column[r] = scores[r * classCount + c];
            orders[c] = AveragePrecision.Ranking(column);
        }
        double Statistic(ReadOnlySpan<int> weights)
        {
            double sum = 0;
            var counted = 0;
            for (var c = 0; c < classCount; c++)
            {
                var ap = AveragePrecision.ElevenPoint(orders[c], columns[c], weights);
                if (double.IsNaN(ap)) continue;
                sum += ap;
                counted++;
            }
            return counted == 0 ? double.NaN : sum / counted;
        }
        var value = Statistic(default);
        var (low, high) = Bootstrap.WeightedInterval(rows, options, Statistic);
        return new MetricValue(DatasetMetrics.Map11, value, low, high);
    }

    private static double Top1(IReadOnlyList<int> labels, IReadOnlyList<int> predicted, ReadOnlySpan<int> weights)
    {
        double right = 0, total = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            total += w;
            if (labels[i] == predicted[i]) right += w;
        }
        return right / total;
    }

    private static double MeanPerClass(IReadOnlyList<int> labels, IReadOnlyList<int> predicted, int classCount, ReadOnlySpan<int> weights)
    {
        var right = new double[classCount];
        var total = new double[classCount];
        for (var i = 0; i < labels.Count; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            total[labels[i]] += w;
            if (labels[i] == predicted[i]) right[labels[i]] += w;
        }
        double sum = 0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (total[c] == 0) continue;
            sum += right[c] / total[c];
            present++;
        }
        return sum / present;
    }
}
