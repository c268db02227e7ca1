using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads;

/// <summary>Turns a classification head's test scores into a result row: every metric, its bootstrap interval, head timing.</summary>
public static class ClassificationRows
{
    /// <param name="row">The row so far (head, layer choice, hyper-parameter set).</param>
    /// <param name="inferSeconds">Time to score the whole test split. Single-sample latency (<see cref="ResultRow.HeadLatencyMs"/>)
    /// is left to heads that measure it.</param>
    /// <param name="metric">The dataset's headline metric (top1 or mean-per-class) for the metric columns.</param>
    public static ResultRow Scored(ResultRow row, FeatureSet test, ClassScores scores, HeadSettings settings, double trainSeconds, double inferSeconds,
        string metric = DatasetMetrics.Top1)
    {
        var bootstrap = new BootstrapOptions(settings.BootstrapSamples, settings.Seed);
        var m = ClassificationEvaluator.Evaluate(test.Labels, scores, bootstrap);
        var predictions = Enumerable.Range(0, scores.Rows).Select(scores.ArgMax).ToArray();
        var headline = DatasetMetricEvaluator.Classification(metric, test.Labels, predictions, test.ClassCount, bootstrap);
        return row with
        {
            Top1 = m.Top1, Top1CiLow = m.Top1CiLow, Top1CiHigh = m.Top1CiHigh, Top5 = m.Top5,
            BalancedAccuracy = m.BalancedAccuracy, LogLoss = m.LogLoss,
            Predictions = predictions,
            TestLabels = test.Labels,
            Classes = test.ClassCount,
            Metric = headline.Metric, MetricValue = headline.Value, MetricCiLow = headline.CiLow, MetricCiHigh = headline.CiHigh,
            HeadTrainSeconds = trainSeconds,
            HeadInferSeconds = inferSeconds,
            HeadSamplesPerSecond = test.Rows / Math.Max(inferSeconds, 1e-9),
            BootstrapSamples = settings.BootstrapSamples,
            Seed = settings.Seed,
        };
    }
}
