namespace ProbeBench.Core.Metrics;

/// <summary>
/// The standard monocular-depth metrics, pooled over every valid pixel (minDepth &lt; gt &lt; maxDepth)
/// of all maps given to a <see cref="DepthMetrics.Accumulator"/>; computed in float64.
/// a1..a3: share of pixels with max(gt/pred, pred/gt) below 1.25, 1.25², 1.25³;
/// silog = 100·sqrt(mean(e²) − mean(e)²) with e = ln pred − ln gt (population variance).
/// </summary>
public sealed record DepthMetrics(
    double A1, double A2, double A3,
    double AbsRel, double SqRel, double Rmse, double RmseLog, double Log10, double SiLog,
    long ValidPixels)
{
    public const double DefaultMinDepth = 1e-3;
    public const double DefaultMaxDepth = 10.0;

    /// <summary>Metrics of one prediction / ground-truth pair of equal length (any number of maps, flattened).</summary>
    public static DepthMetrics Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> groundTruth,
        double minDepth = DefaultMinDepth, double maxDepth = DefaultMaxDepth)
    {
        var accumulator = new Accumulator(minDepth, maxDepth);
        accumulator.Add(predicted, groundTruth);
        return accumulator.Result();
    }

    /// <summary>Sums over valid pixels, so metrics pool over batches exactly as over one big batch.</summary>
    public sealed class Accumulator
    {
        private readonly double minDepth;
        private readonly double maxDepth;
        private long count, below1, below2, below3;
        private double absRel, sqRel, squaredError, squaredLogError, log10Error, logDiff;

        public Accumulator(double minDepth = DefaultMinDepth, double maxDepth = DefaultMaxDepth)
        {
            if (!(minDepth >= 0) || !(maxDepth > minDepth))
                throw new ProbeBenchException($"depth range [{minDepth}, {maxDepth}] is invalid; min depth must be ≥ 0 and below max depth.");
            this.minDepth = minDepth;
            this.maxDepth = maxDepth;
        }

        public void Add(ReadOnlySpan<float> predicted, ReadOnlySpan<float> groundTruth)
        {
            if (predicted.Length != groundTruth.Length)
                throw new ProbeBenchException($"depth prediction holds {predicted.Length} pixels but the ground truth holds {groundTruth.Length}.");
            for (var i = 0; i < groundTruth.Length; i++)
            {
                double gt = groundTruth[i];
                if (!(gt > minDepth && gt < maxDepth)) continue;
                double pred = predicted[i];
                if (!(pred > 0) || !double.IsFinite(pred))
                    throw new ProbeBenchException($"depth prediction at pixel {i} is {pred}; predictions must be positive and finite where the ground truth is valid.");
                var ratio = Math.Max(gt / pred, pred / gt);
                if (ratio < 1.25) below1++;
                if (ratio < 1.25 * 1.25) below2++;
                if (ratio < 1.25 * 1.25 * 1.25) below3++;
                var diff = gt - pred;
                absRel += Math.Abs(diff) / gt;
                sqRel += diff * diff / gt;
                squaredError += diff * diff;
                var logError = Math.Log(pred) - Math.Log(gt);
                squaredLogError += logError * logError;
                log10Error += Math.Abs(Math.Log10(gt) - Math.Log10(pred));
                logDiff += logError;
                count++;
            }
        }

        /// <summary>Valid pixels added so far.</summary>
        public long Count => count;

        public DepthMetrics Result()
        {
            if (count == 0)
                throw new ProbeBenchException($"no ground-truth pixel lies inside the valid depth range ({minDepth}, {maxDepth}).");
            double n = count;
            var meanLog = logDiff / n;
            var variance = Math.Max(squaredLogError / n - meanLog * meanLog, 0);
            return new DepthMetrics(
                below1 / n, below2 / n, below3 / n,
                absRel / n, sqRel / n, Math.Sqrt(squaredError / n), Math.Sqrt(squaredLogError / n), log10Error / n,
                100 * Math.Sqrt(variance), count);
        }
    }
}
