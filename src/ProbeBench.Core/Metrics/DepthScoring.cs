namespace ProbeBench.Core.Metrics;

/// <summary>
/// A depth probe's score on a test split. <see cref="PerImage"/> is the DINOv2 / mmseg depth-toolbox protocol: each
/// image's metrics over its valid pixels, then the mean over images (an image without a valid pixel is left out, as
/// nanmean leaves it out); <see cref="Pooled"/> pools every valid pixel of the split instead. The RMSE interval is a seeded
/// 95% bootstrap over test images of the per-image mean.
/// </summary>
public sealed record DepthScore(DepthMetrics PerImage, DepthMetrics Pooled, double RmseCiLow, double RmseCiHigh, int Images, int ScoredImages);

/// <summary>Accumulates a depth probe's predictions image by image (memory: one metrics record per image).</summary>
public sealed class DepthScoring(double minDepth = DepthMetrics.DefaultMinDepth, double maxDepth = DepthMetrics.DefaultMaxDepth)
{
    private readonly DepthMetrics.Accumulator _pooled = new(minDepth, maxDepth);
    private readonly List<DepthMetrics> _images = [];
    private int _seen;

    public void AddImage(ReadOnlySpan<float> predicted, ReadOnlySpan<float> groundTruth)
    {
        _seen++;
        var image = new DepthMetrics.Accumulator(minDepth, maxDepth);
        image.Add(predicted, groundTruth);
        if (image.Count == 0) return;
        _pooled.Add(predicted, groundTruth);
        _images.Add(image.Result());
    }

    public DepthScore Result(BootstrapOptions bootstrap)
    {
        if (_images.Count == 0)
            throw new ProbeBenchException($"no test image has a ground-truth pixel inside the valid depth range ({minDepth}, {maxDepth}).");
        double Mean(Func<DepthMetrics, double> metric) => _images.Average(metric);
        var perImage = new DepthMetrics(Mean(m => m.A1), Mean(m => m.A2), Mean(m => m.A3), Mean(m => m.AbsRel), Mean(m => m.SqRel),
            Mean(m => m.Rmse), Mean(m => m.RmseLog), Mean(m => m.Log10), Mean(m => double.IsNaN(m.SiLog) ? 0 : m.SiLog), _images.Sum(m => m.ValidPixels));
        var (low, high) = Bootstrap.MeanInterval(_images.Select(m => m.Rmse).ToList(), bootstrap);
        // A percentile interval need not hold the estimate itself; widened to hold it, it stays a valid (wider) interval.
        return new DepthScore(perImage, _pooled.Result(), Math.Min(low, perImage.Rmse), Math.Max(high, perImage.Rmse), _seen, _images.Count);
    }
}
