using System.Diagnostics;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Linear;

/// <summary>DINOv2's linear protocol: 13 learning rates × every layer choice trained at once; the best on validation is reported.</summary>
public sealed class LinearGridHead() : ProbeHead("linear",
    "DINOv2 linear grid: SGD classifiers for 13 learning rates × all layer choices at once, best on a validation split",
    HeadInput.PooledVectors, HeadScope.AllLayerChoices)
{
    public override IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context)
    {
        var settings = context.Settings;
        context.Status?.Invoke("linear probe grid");
        var trainSets = train.Select(t => new LinearProbeFeatures(t.Choice.Name, t.Features)).ToList();
        var testSets = test.Select(t => new LinearProbeFeatures(t.Choice.Name, t.Features)).ToList();
        var (fit, validation) = LinearProbeGrid.SplitValidation(trainSets, 0.1, settings.Seed);
        var grid = LinearProbeGrid.Fit(fit, validation, new LinearProbeGridOptions { Seed = settings.Seed, Device = settings.Device },
            context.Report is { } report ? (done, total) => report("linear probe grid: SGD step", done, total) : null, context.Cancellation);
        var clock = Stopwatch.StartNew();
        var scores = grid.PredictBest(testSets);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        context.Log?.Invoke($"linear probe chose {grid.Best.FeatureName} at learning rate {grid.Best.LearningRate:G3} ({grid.Candidates.Count} classifiers)");
        var chosen = test.First(t => t.Choice.Name == grid.Best.FeatureName);
        // The head picks the layer choice itself: the row names what it chose from, and what it chose.
        var row = context.Template with
        {
            Head = Name, LayerChoice = $"best of {train.Count}",
            Setting = $"{LinearProbeGridOptions.DinoV2LearningRates.Count} learning rates over {string.Join(" ", train.Select(t => t.Choice.Name))}",
            Chosen = $"{chosen.Choice.Name} at lr={grid.Best.LearningRate:G4}", Primary = true,
        };
        return [ClassificationRows.Scored(row, chosen.Features, scores, settings, grid.TrainTime.TotalSeconds, inferSeconds, context.Metric)];
    }
}
