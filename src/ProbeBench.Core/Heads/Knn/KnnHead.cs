using System.Diagnostics;
using ProbeBench.Core.Data;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Knn;

/// <summary>
/// DINOv2's weighted k-NN (cosine, T = 0.07): one search serves every k in knnK, each reported as its own row; the
/// head's answer uses the k that does best on a stratified 10% validation split of train (never chosen on test).
/// </summary>
public sealed class KnnHead() : EachChoiceHead("knn",
    "DINOv2 weighted k-NN: cosine similarity, T = 0.07, every k of knnK from one search; its answer uses the k best on a validation split of train",
    HeadInput.PooledVectors, "knnK")
{
    protected override IReadOnlyList<ResultRow> Run(LayerFeatures train, LayerFeatures test, HeadContext context)
    {
        var (trainSet, testSet, choice) = (train.Features, test.Features, train.Choice);
        var settings = context.Settings;
        context.Status?.Invoke($"k-NN on {choice.Name}");
        var options = new KnnOptions { Ks = settings.Ks, Device = settings.Device };
        var clock = Stopwatch.StartNew();
        Action<int, int>? Report(string what) => context.Report is { } report ? (done, total) => report($"k-NN on {choice.Name}: {what}", done, total) : null;
        var chosen = ChooseK(trainSet, options, settings.Seed, Report("validation rows"), context.Cancellation);
        var chooseSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var result = KnnClassifier.Classify(trainSet, testSet, options, Report("test rows"), context.Cancellation);
        var seconds = clock.Elapsed.TotalSeconds;
        // One search serves every k: the time is the head's, shared by its rows; "training" is choosing k.
        var rows = result.Ks
            .Select(k => ClassificationRows.Scored(context.RowFor(Name, choice) with { Setting = $"k={k}" }, testSet, result.ForK(k), settings, chooseSeconds, seconds, context.Metric))
            .ToList();
        rows.Add(ClassificationRows.Scored(context.RowFor(Name, choice) with
        {
            Setting = $"k from {string.Join(",", result.Ks)}", Chosen = $"k={chosen}", Primary = true,
        }, testSet, result.ForK(chosen), settings, chooseSeconds, seconds, context.Metric));
        return rows;
    }

    /// <summary>The k with the best top-1 on a validation split of train (searched against the rest); ties go to the smaller k.</summary>
    private static int ChooseK(FeatureSet train, KnnOptions options, int seed, Action<int, int>? progress, CancellationToken cancellation)
    {
        var (fitRows, validationRows) = StratifiedSampler.Split(train.Labels, 0.1, seed);
        var fit = train.Subset(fitRows);
        var validation = train.Subset(validationRows);
        if (fit.Labels.Distinct().Count() < 2) return options.Ks.Min();
        var result = KnnClassifier.Classify(fit, validation, options, progress, cancellation);
        return result.Ks
            .Select(k => (K: k, Correct: Enumerable.Range(0, validation.Rows).Count(r => result.ForK(k).ArgMax(r) == validation.Labels[r])))
            .OrderByDescending(x => x.Correct).ThenBy(x => x.K).First().K;
    }
}
