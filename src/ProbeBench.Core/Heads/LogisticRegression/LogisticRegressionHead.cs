using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.LogisticRegression;

/// <summary>ML.NET L-BFGS logistic regression with DINOv2's C sweep: C chosen on a validation split of train, then refitted.</summary>
public sealed class LogisticRegressionHead() : EachChoiceHead("logreg",
    "ML.NET L-BFGS logistic regression (scikit-learn's C is L2Regularization = 1/C); C swept on a stratified 10% validation split of train, then refitted on all of it",
    HeadInput.PooledVectors, "logRegGrid")
{
    public override bool SupportsMultiLabel => true;

    protected override IReadOnlyList<ResultRow> Run(LayerFeatures train, LayerFeatures test, HeadContext context)
    {
        if (context.TrainTargets is not null || context.TestTargets is not null) return [OneVsRestLogisticRegression.Run(Name, train, test, context)];
        var (trainSet, testSet, choice) = (train.Features, test.Features, train.Choice);
        var settings = context.Settings;
        context.Status?.Invoke($"logistic regression on {choice.Name}");
        var sweep = LogisticRegressionProbe.Sweep(trainSet, new LogisticRegressionOptions(CValues: LogisticRegressionGrid.Parse(settings.LogRegGrid), Seed: settings.Seed),
            context.Report is { } report ? (done, total) => report($"logistic regression on {choice.Name}: C", done, total) : null, context.Cancellation);
        var (scores, timing) = sweep.PredictTimed(testSet);
        context.Log?.Invoke($"{choice.Name}: logistic regression chose C = {sweep.BestC:G3} ({sweep.Grid.Count} values swept)");
        var row = context.RowFor(Name, choice) with { Setting = $"C grid {LogisticRegressionGrid.Describe(settings.LogRegGrid)}", Chosen = $"C={sweep.BestC:G4}", Primary = true };
        // Per-sample latency is the median single-row prediction (HeadTiming), not the batch time divided by rows.
        return [ClassificationRows.Scored(row, testSet, scores, settings, timing.TrainSeconds, testSet.Rows / timing.InferenceSamplesPerSecond, context.Metric)
            with { HeadLatencyMs = timing.LatencyMsPerSample }];
    }
}
