using System.Diagnostics;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.NearestClassMean;

/// <summary>A cheap baseline head: the nearest class centroid by cosine similarity (see <see cref="NearestClassMeanClassifier"/>).</summary>
public sealed class NearestClassMeanHead : IProbeHead
{
    public string Name => "ncm";

    public string Summary => "nearest class mean: cosine similarity to each class's mean L2-normalised feature; no hyper-parameters";

    public HeadInput Input => HeadInput.PooledVectors;

    public HeadScope Scope => HeadScope.EachLayerChoice;

    public IReadOnlyList<string> PlanFields => [];

    public IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context)
    {
        var (trainSet, testSet, choice) = (train[0].Features, test[0].Features, train[0].Choice);
        context.Status?.Invoke($"nearest class mean on {choice.Name}");
        var clock = Stopwatch.StartNew();
        var centroids = NearestClassMeanClassifier.Fit(trainSet);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var scores = NearestClassMeanClassifier.Predict(centroids, testSet);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        return [ClassificationRows.Scored(context.RowFor(Name, choice) with { HyperParameter = "cosine" }, testSet, scores, context.Settings, trainSeconds, inferSeconds)];
    }
}
