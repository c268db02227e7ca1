using System.Diagnostics;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation;

/// <summary>Trains the plan's classification heads on one layer choice's features and turns them into result rows.</summary>
public static class HeadRunner
{
    public static IEnumerable<ResultRow> LogisticRegression(FeatureSet train, FeatureSet test, RunPlan plan, ResultRow template, Action<string>? log)
    {
        var sweep = LogisticRegressionProbe.Sweep(train, new LogisticRegressionOptions(CValues: LogRegGrid(plan.LogRegGrid), Seed: plan.Seed));
        var (scores, timing) = sweep.PredictTimed(test);
        log?.Invoke($"{template.LayerChoice}: logistic regression chose C = {sweep.BestC:G3} ({sweep.Grid.Count} values swept)");
        // Per-sample latency is the median single-row prediction (HeadTiming), not the batch time divided by rows.
        yield return Row(template with { Head = "logreg", HyperParameter = $"C={sweep.BestC:G4}" }, test, scores, plan, timing.TrainSeconds,
            test.Rows / timing.InferenceSamplesPerSecond) with { HeadLatencyMs = timing.LatencyMsPerSample };
    }

    public static IEnumerable<ResultRow> Knn(FeatureSet train, FeatureSet test, RunPlan plan, ResultRow template)
    {
        var clock = Stopwatch.StartNew();
        var result = KnnClassifier.Classify(train, test, new KnnOptions { Ks = plan.KnnK, Device = plan.Device });
        var seconds = clock.Elapsed.TotalSeconds;
        // One search serves every k: the time is the head's, shared by its rows.
        foreach (var k in result.Ks)
            yield return Row(template with { Head = "knn", HyperParameter = $"k={k}" }, test, result.ForK(k), plan, 0, seconds);
    }

    /// <summary>The DINOv2 linear protocol over all layer choices at once: one row for the best (choice, learning rate).</summary>
    public static ResultRow Linear(IReadOnlyList<LinearProbeFeatures> train, IReadOnlyList<LinearProbeFeatures> test, RunPlan plan, ResultRow template, Action<string>? log)
    {
        var (fit, validation) = LinearProbeGrid.SplitValidation(train, 0.1, plan.Seed);
        var grid = LinearProbeGrid.Fit(fit, validation, new LinearProbeGridOptions { Seed = plan.Seed, Device = plan.Device });
        var clock = Stopwatch.StartNew();
        var scores = grid.PredictBest(test);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        log?.Invoke($"linear probe chose {grid.Best.FeatureName} at learning rate {grid.Best.LearningRate:G3} ({grid.Candidates.Count} classifiers)");
        var chosen = test.First(t => t.Name == grid.Best.FeatureName).Features;
        return Row(template with { Head = "linear", LayerChoice = grid.Best.FeatureName, HyperParameter = $"lr={grid.Best.LearningRate:G4}" },
            chosen, scores, plan, grid.TrainTime.TotalSeconds, inferSeconds);
    }

    public static IReadOnlyList<double>? LogRegGrid(string text) => text.Trim().ToLowerInvariant() switch
    {
        "dinov2" => null,
        "coarse" => LogisticRegressionProbe.CoarseGrid,
        _ => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var c) && c > 0
                ? c
                : throw new ProbeBenchException($"logRegGrid '{text}': '{v}' is not a positive number; use dinov2, coarse or a comma list of C values."))
            .ToList(),
    };

    private static ResultRow Row(ResultRow template, FeatureSet test, ClassScores scores, RunPlan plan, double trainSeconds, double inferSeconds)
    {
        var m = ClassificationEvaluator.Evaluate(test.Labels, scores, new BootstrapOptions(plan.BootstrapSamples, plan.Seed));
        return template with
        {
            Top1 = m.Top1, Top1CiLow = m.Top1CiLow, Top1CiHigh = m.Top1CiHigh, Top5 = m.Top5,
            BalancedAccuracy = m.BalancedAccuracy, LogLoss = m.LogLoss,
            HeadTrainSeconds = trainSeconds,
            HeadSamplesPerSecond = test.Rows / Math.Max(inferSeconds, 1e-9),
            HeadLatencyMs = inferSeconds * 1000 / test.Rows,
        };
    }
}
