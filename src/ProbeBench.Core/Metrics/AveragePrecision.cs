namespace ProbeBench.Core.Metrics;

/// <summary>
/// PASCAL VOC 2007's 11-point interpolated average precision: rank the samples by score (highest first; ties keep sample
/// order), and average, over recall thresholds 0, 0.1, …, 1, the highest precision reached at a recall at or above the
/// threshold (0 where none is). Samples marked difficult (target 0) are left out; a class with no positive sample has
/// no AP (NaN) and is left out of the mean.
/// </summary>
public static class AveragePrecision
{
    /// <summary>AP of one class: <paramref name="scores"/> per sample, <paramref name="targets"/> 1 / -1 / 0 per sample,
    /// each sample counted <paramref name="weights"/>[i] times (a bootstrap draw; null: once).</summary>
    public static double ElevenPoint(ReadOnlySpan<float> scores, ReadOnlySpan<sbyte> targets, ReadOnlySpan<int> weights = default)
    {
        var order = Ranking(scores);
        return ElevenPoint(order, targets, weights);
    }

    /// <summary>The same from a ranking computed once (indices by descending score).</summary>
    public static double ElevenPoint(int[] order, ReadOnlySpan<sbyte> targets, ReadOnlySpan<int> weights)
    {
        double positives = 0;
        for (var i = 0; i < targets.Length; i++)
            if (targets[i] == 1) positives += weights.IsEmpty ? 1 : weights[i];
        if (positives == 0) return double.NaN;
        // Precision at each rank where recall changes; the envelope (max precision at recall ≥ t) is read per threshold.
        Span<double> best = stackalloc double[11];
        double truePositives = 0, seen = 0;
        foreach (var i in order)
        {
            if (targets[i] == 0) continue;
            var w = weights.IsEmpty ? 1 : weights[i];
            if (w == 0) continue;
            seen += w;
            if (targets[i] == 1) truePositives += w;
            var recall = truePositives / positives;
            var precision = truePositives / seen;
            for (var t = 0; t <= 10; t++)
                if (recall >= t / 10.0 - 1e-12 && precision > best[t]) best[t] = precision;
        }
        double sum = 0;
        foreach (var p in best) sum += p;
        return sum / 11;
    }

    /// <summary>Sample indices by descending score, ties in sample order.</summary>
    public static int[] Ranking(ReadOnlySpan<float> scores)
    {
        var copy = scores.ToArray();
        var order = Enumerable.Range(0, copy.Length).ToArray();
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
