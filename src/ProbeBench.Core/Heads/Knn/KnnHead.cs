using System.Diagnostics;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Knn;

/// <summary>DINOv2's weighted k-NN (cosine, T = 0.07): one search serves every k in knnK.</summary>
public sealed class KnnHead() : EachChoiceHead("knn", "DINOv2 weighted k-NN: cosine similarity, T = 0.07, every k of knnK from one search",
    HeadInput.PooledVectors, "knnK")
{
    protected override IReadOnlyList<ResultRow> Run(LayerFeatures train, LayerFeatures test, HeadContext context)
    {
        var (trainSet, testSet, choice) = (train.Features, test.Features, train.Choice);
        context.Status?.Invoke($"k-NN on {choice.Name}");
        var clock = Stopwatch.StartNew();
        var result = KnnClassifier.Classify(trainSet, testSet, new KnnOptions { Ks = context.Settings.Ks, Device = context.Settings.Device });
        var seconds = clock.Elapsed.TotalSeconds;
        // One search serves every k: the time is the head's, shared by its rows.
        return result.Ks
            .Select(k => ClassificationRows.Scored(context.RowFor(Name, choice) with { HyperParameter = $"k={k}" }, testSet, result.ForK(k), context.Settings, 0, seconds, context.Metric))
            .ToList();
    }
}
