using System.Diagnostics;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.NearestClassMean;

/// <summary>A cheap baseline head: the nearest class centroid by cosine similarity (see <see cref="NearestClassMeanClassifier"/>).</summary>
public sealed class NearestClassMeanHead() : EachChoiceHead("ncm",
    "nearest class mean: cosine similarity to each class's mean L2-normalised feature; no hyper-parameters", HeadInput.PooledVectors)
{
    protected override IReadOnlyList<ResultRow> Run(LayerFeatures train, LayerFeatures test, HeadContext context)
    {
        var (trainSet, testSet, choice) = (train.Features, test.Features, train.Choice);
        context.Status?.Invoke($"nearest class mean on {choice.Name}");
        var clock = Stopwatch.StartNew();
        var centroids = NearestClassMeanClassifier.Fit(trainSet);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var scores = NearestClassMeanClassifier.Predict(centroids, testSet);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        return [ClassificationRows.Scored(context.RowFor(Name, choice) with { Setting = "cosine", Primary = true }, testSet, scores, context.Settings, trainSeconds, inferSeconds, context.Metric)];
    }
}
