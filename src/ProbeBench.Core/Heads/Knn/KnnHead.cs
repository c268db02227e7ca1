using System.Diagnostics;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Knn;

/// <summary>DINOv2's weighted k-NN (cosine, T = 0.07): one search serves every k in knnK.</summary>
public sealed class KnnHead : IProbeHead
{
    public string Name => "knn";

    public string Summary => "DINOv2 weighted k-NN: cosine similarity, T = 0.07, every k of knnK from one search";

    public HeadInput Input => HeadInput.PooledVectors;

    public HeadScope Scope => HeadScope.EachLayerChoice;

    public IReadOnlyList<string> PlanFields => ["knnK"];

    public IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context)
    {
        var (trainSet, testSet, choice) = (train[0].Features, test[0].Features, train[0].Choice);
        context.Status?.Invoke($"k-NN on {choice.Name}");
        var clock = Stopwatch.StartNew();
        var result = KnnClassifier.Classify(trainSet, testSet, new KnnOptions { Ks = context.Settings.Ks, Device = context.Settings.Device });
        var seconds = clock.Elapsed.TotalSeconds;
        // One search serves every k: the time is the head's, shared by its rows.
        return result.Ks
            .Select(k => ClassificationRows.Scored(context.RowFor(Name, choice) with { HyperParameter = $"k={k}" }, testSet, result.ForK(k), context.Settings, 0, seconds))
            .ToList();
    }
}
