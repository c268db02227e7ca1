using ProbeBench.Core.Probes;

namespace ProbeBench.Core.Metrics;

/// <summary>Scores a trained <see cref="DepthProbe"/> with <see cref="DepthMetrics"/>.</summary>
public static class DepthProbeEvaluation
{
    /// <summary>Depth metrics of the probe's predictions against <paramref name="groundTruth"/>, pooled over valid pixels.</summary>
    public static DepthMetrics Evaluate(this DepthProbe probe, DepthFeatureBatch features, DepthMaps groundTruth)
    {
        groundTruth.Validate("depth ground truth");
        if (groundTruth.Images != features.Images)
            throw new ProbeBenchException($"depth ground truth holds {groundTruth.Images} maps for {features.Images} feature images.");
        var predicted = probe.Predict(features, groundTruth.Height, groundTruth.Width);
        return DepthMetrics.Compute(predicted.Values, groundTruth.Values, probe.Options.MinDepth, probe.Options.MaxDepth);
    }
}
