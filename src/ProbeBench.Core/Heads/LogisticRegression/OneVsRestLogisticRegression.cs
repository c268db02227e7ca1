using System.Diagnostics;
using ProbeBench.Core.Data;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.LogisticRegression;

/// <summary>
/// Multi-label logistic regression (PASCAL VOC 2007): one binary L-BFGS classifier per class (one-vs-rest), C chosen
/// for all classes together by 11-point mAP on a stratified 10% validation split of train, then refitted on all of train
/// and scored by 11-point mAP on test with its bootstrap interval. Difficult samples of a class are left out of that
/// class's training and scoring. A binary classifier at scikit-learn's C is ML.NET's two-class softmax at C / 2 (the
/// two weight vectors settle at ±w/2, so their L2 term is half of w's). The sweep fits each class's grid as one
/// warm-started path (as the multi-class sweep's chains do) and runs the classes in parallel; the refit starts from zero.
/// </summary>
public static class OneVsRestLogisticRegression
{
    public const double ValidationFraction = 0.1;

    public static ResultRow Run(string head, LayerFeatures train, LayerFeatures test, HeadContext context)
    {
        var trainTargets = context.TrainTargets ?? throw new ProbeBenchException($"head {head}: multi-label test data came without train targets.");
        var testTargets = context.TestTargets ?? throw new ProbeBenchException($"head {head}: multi-label train data came without test targets.");
        var (trainSet, testSet, choice) = (train.Features, test.Features, train.Choice);
        if (trainTargets.Rows.Length != trainSet.Rows || testTargets.Rows.Length != testSet.Rows || trainTargets.ClassCount != testTargets.ClassCount)
            throw new ProbeBenchException($"head {head}: the multi-label targets ({trainTargets.Rows.Length} / {testTargets.Rows.Length} rows) do not match the features ({trainSet.Rows} / {testSet.Rows}).");
        var settings = context.Settings;
        var classes = trainTargets.ClassCount;
        var grid = LogisticRegressionGrid.Parse(settings.LogRegGrid);
        var options = new LogisticRegressionOptions(Seed: settings.Seed);
        var clock = Stopwatch.StartNew();
        var (fitRows, validationRows) = StratifiedSampler.Split(trainSet.Labels, ValidationFraction, settings.Seed);
        var bootstrap = new BootstrapOptions(settings.BootstrapSamples, settings.Seed);

        // Each class's binary fits over the whole grid are one warm-started path (ascending C, each fit from the previous
        // C's solution); the classes are independent, so their paths run in parallel without changing any result.
        var paths = new LogisticRegressionModel?[classes][];
        var done = 0;
        // Each class running holds a copy of its rows; as many at once as the options allow chains (one per core by default).
        var parallel = new ParallelOptions
        {
            CancellationToken = context.Cancellation,
            MaxDegreeOfParallelism = options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount,
        };
        ParallelLoops.For(0, classes, parallel, k =>
        {
            paths[k] = FitPath(trainSet, trainTargets, fitRows, k, grid, options with { FitThreads = 1 });
            var finished = Interlocked.Increment(ref done);
            context.Report?.Invoke($"one-vs-rest logistic regression on {choice.Name}: class", finished, classes);
        });
        var validation = trainSet.Subset(validationRows);
        var validationTargets = validationRows.Select(r => trainTargets.Rows[r]).ToArray();
        var bestC = grid[0];
        var bestMap = double.NegativeInfinity;
        for (var g = 0; g < grid.Count; g++)
        {
            var scores = Score(paths.Select(path => path[g]).ToArray(), validation, classes);
            var map = DatasetMetricEvaluator.MeanAveragePrecision(scores, validationTargets, classes, bootstrap with { Samples = 1 }).Value;
            if (map > bestMap) (bestMap, bestC) = (map, grid[g]);
        }
        var all = Enumerable.Range(0, trainSet.Rows).ToArray();
        var final = new LogisticRegressionModel?[classes];
        // Each refit spreads its gradient over FitThreads chunks, so fewer classes run at once.
        var refits = new ParallelOptions
        {
            CancellationToken = context.Cancellation,
            MaxDegreeOfParallelism = Math.Max(1, parallel.MaxDegreeOfParallelism / Math.Max(1, options.FitThreads)),
        };
        ParallelLoops.For(0, classes, refits,
            k => final[k] = FitPath(trainSet, trainTargets, all, k, [bestC], options)[0]);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var testScores = Score(final, testSet, classes);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        var result = DatasetMetricEvaluator.MeanAveragePrecision(testScores, testTargets.Rows, classes, bootstrap);
        context.Log?.Invoke($"{choice.Name}: one-vs-rest logistic regression chose C = {bestC:G3} (validation mAP {100 * bestMap:F2}, {grid.Count} values swept)");
        return context.RowFor(head, choice) with
        {
            Setting = $"one-vs-rest, C grid {LogisticRegressionGrid.Describe(settings.LogRegGrid)}", Chosen = $"C={bestC:G4}", Primary = true,
            Metric = DatasetMetrics.Map11, MetricValue = result.Value, MetricCiLow = result.CiLow, MetricCiHigh = result.CiHigh,
            Classes = classes, HeadTrainSeconds = trainSeconds, HeadInferSeconds = inferSeconds,
            HeadSamplesPerSecond = testSet.Rows / Math.Max(inferSeconds, 1e-9), BootstrapSamples = settings.BootstrapSamples, Seed = settings.Seed,
        };
    }

    /// <summary>
    /// Class <paramref name="k"/>'s binary models on <paramref name="rows"/> (its difficult rows left out), one per C of
    /// <paramref name="grid"/> in grid order; nulls where the class has one side only.
    /// </summary>
    private static LogisticRegressionModel?[] FitPath(FeatureSet set, MultiLabelTargets targets, int[] rows, int k, IReadOnlyList<double> grid,
        LogisticRegressionOptions options)
    {
        var used = rows.Where(r => targets[r, k] != 0).ToArray();
        var labels = used.Select(r => targets[r, k] == 1 ? 1 : 0).ToArray();
        if (labels.Distinct().Count() < 2) return new LogisticRegressionModel?[grid.Count];
        var subset = set.Subset(used) with { Labels = labels, ClassCount = 2 };
        // WarmStartChains = 0 asks for every C from zero, as in the multi-class sweep.
        return options.WarmStartChains == 0
            ? [.. grid.Select(c => LogisticRegressionProbe.Fit(subset, c / 2, options))]
            : [.. LogisticRegressionProbe.FitPath(subset, grid.Select(c => c / 2).ToList(), options)];
    }

    /// <summary>Rows × classes scores: each class's positive probability (0 for a class without a model).</summary>
    private static float[] Score(LogisticRegressionModel?[] models, FeatureSet set, int classes)
    {
        var scores = new float[set.Rows * classes];
        for (var k = 0; k < classes; k++)
        {
            if (models[k] is not { } model) continue;
            var probabilities = model.Predict(set);
            for (var r = 0; r < set.Rows; r++) scores[r * classes + k] = probabilities.Row(r)[1];
        }
        return scores;
    }
}
