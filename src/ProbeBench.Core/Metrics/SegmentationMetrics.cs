namespace ProbeBench.Core.Metrics;

/// <summary>
/// Semantic segmentation scored exactly as mmseg scores it: per class, the intersection, union, predicted and labelled
/// areas summed over every image (pixels labelled with the ignore index are not counted, whatever was predicted there);
/// IoU = I / U and Acc = I / L per class (NaN where the denominator is 0); mIoU and mAcc are their means over classes
/// ignoring NaN (a class that is predicted but never labelled has IoU 0, counted, and Acc NaN, skipped); aAcc is all
/// correct pixels over all labelled pixels. The mIoU interval is a seeded 95% bootstrap over test images.
/// </summary>
public sealed record SegmentationMetrics(
    double MeanIou, double MeanAccuracy, double AllAccuracy,
    IReadOnlyList<double> Iou, IReadOnlyList<double> Accuracy,
    IReadOnlyList<long> Intersect, IReadOnlyList<long> Union, IReadOnlyList<long> PredictedArea, IReadOnlyList<long> LabelArea,
    double MeanIouCiLow, double MeanIouCiHigh, int Images);

/// <summary>Accumulates a segmentation probe's predictions image by image (memory: three counts per class and image).</summary>
public sealed class SegmentationScoring
{
    private readonly int _classes;
    private readonly int _ignore;
    private readonly List<long[]> _images = [];

    public SegmentationScoring(int classes, int ignoreIndex = 255)
    {
        if (classes < 1) throw new ProbeBenchException($"segmentation scoring needs at least one class, got {classes}.");
        _classes = classes;
        _ignore = ignoreIndex;
    }

    /// <summary>One image's predicted classes and labels (same length; labels may hold the ignore index).</summary>
    public void AddImage(ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels)
    {
        if (predicted.Length != labels.Length)
            throw new ProbeBenchException($"a segmentation prediction holds {predicted.Length} pixels but its label map {labels.Length}.");
        // [0, K): intersection; [K, 2K): predicted area; [2K, 3K): labelled area (over labelled pixels only).
        var counts = new long[3 * _classes];
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label == _ignore) continue;
            if ((uint)label >= (uint)_classes)
                throw new ProbeBenchException($"a segmentation label map holds class {label} at pixel {i}; there are {_classes} classes and {_ignore} for ignored pixels.");
            var p = predicted[i];
            // mmseg counts with histc over [0, K − 1]: a prediction outside it adds to no class.
            if ((uint)p < (uint)_classes)
            {
                counts[_classes + p]++;
                if (p == label) counts[p]++;
            }
            counts[2 * _classes + label]++;
        }
        _images.Add(counts);
    }

    /// <summary>Labels stored as floats (the dense label cache); each must be a whole class index.</summary>
    public void AddImage(ReadOnlySpan<int> predicted, ReadOnlySpan<float> labels)
    {
        var whole = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++) whole[i] = (int)labels[i];
        AddImage(predicted, whole);
    }

    public SegmentationMetrics Result(BootstrapOptions bootstrap)
    {
        if (_images.Count == 0) throw new ProbeBenchException("segmentation scoring saw no image.");
        var totals = Sum(Enumerable.Range(0, _images.Count).ToArray());
        var (miou, macc, aacc, iou, acc) = Scores(totals);
        var (low, high) = Bootstrap.Interval(_images.Count, bootstrap, draw => Scores(Sum(draw)).MeanIou);
        var k = _classes;
        var intersect = totals[..k];
        var predicted = totals[k..(2 * k)];
        var labelled = totals[(2 * k)..];
        var union = Enumerable.Range(0, k).Select(c => predicted[c] + labelled[c] - intersect[c]).ToArray();
        // A percentile interval need not hold the estimate itself; widened to hold it, it stays a valid (wider) interval.
        return new SegmentationMetrics(miou, macc, aacc, iou, acc, intersect, union, predicted, labelled,
            double.IsNaN(low) ? miou : Math.Min(low, miou), double.IsNaN(high) ? miou : Math.Max(high, miou), _images.Count);
    }

    private long[] Sum(int[] images)
    {
        var totals = new long[3 * _classes];
        foreach (var i in images)
        {
            var counts = _images[i];
            for (var j = 0; j < totals.Length; j++) totals[j] += counts[j];
        }
        return totals;
    }

    private (double MeanIou, double MeanAccuracy, double AllAccuracy, double[] Iou, double[] Accuracy) Scores(long[] totals)
    {
        var k = _classes;
        var iou = new double[k];
        var acc = new double[k];
        long correct = 0, labelled = 0;
        for (var c = 0; c < k; c++)
        {
            long i = totals[c], p = totals[k + c], l = totals[2 * k + c], u = p + l - i;
            iou[c] = u == 0 ? double.NaN : (double)i / u;
            acc[c] = l == 0 ? double.NaN : (double)i / l;
            correct += i;
            labelled += l;
        }
        return (NanMean(iou), NanMean(acc), labelled == 0 ? double.NaN : (double)correct / labelled, iou, acc);
    }

    private static double NanMean(double[] values)
    {
        var finite = values.Where(v => !double.IsNaN(v)).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }
}
