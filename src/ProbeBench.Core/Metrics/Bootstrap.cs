using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Metrics;

/// <summary>Seeded percentile-bootstrap intervals for accuracies, alone or paired.</summary>
public static class Bootstrap
{
    /// <summary>Interval of the mean of <paramref name="correct"/> (1 = right, 0 = wrong).</summary>
    public static (double Low, double High) MeanInterval(IReadOnlyList<bool> correct, BootstrapOptions options) =>
        Interval(correct.Count, options, draw => draw.Average(i => correct[i] ? 1.0 : 0.0));

    /// <summary>
    /// Interval of mean(<paramref name="b"/>) − mean(<paramref name="a"/>) where both were measured on the same
    /// samples: the resampled indices are shared, so the interval reflects the paired difference.
    /// </summary>
    public static (double Low, double High) PairedDifferenceInterval(IReadOnlyList<bool> a, IReadOnlyList<bool> b, BootstrapOptions options)
    {
        if (a.Count != b.Count) throw new ProbeBenchException($"Paired accuracies need the same samples; got {a.Count} and {b.Count}.");
        return Interval(a.Count, options, draw => draw.Average(i => (b[i] ? 1.0 : 0.0) - (a[i] ? 1.0 : 0.0)));
    }

    /// <summary>Interval of the mean of <paramref name="values"/> (per-image scores of a dense probe).</summary>
    public static (double Low, double High) MeanInterval(IReadOnlyList<double> values, BootstrapOptions options) =>
        Interval(values.Count, options, draw => draw.Average(i => values[i]));

    /// <summary>
    /// Interval of any statistic of <paramref name="n"/> samples, given each resample's indices (drawn with replacement);
    /// resamples where the statistic is undefined (NaN) are left out.
    /// </summary>
    public static (double Low, double High) Interval(int n, BootstrapOptions options, Func<int[], double> statistic)
    {
        if (n == 0) return (double.NaN, double.NaN);
        if (options.Samples < 1) throw new ProbeBenchException($"Bootstrap needs at least one resample; got {options.Samples}.");
        var random = new Random(options.Seed);
        var values = new List<double>(options.Samples);
        var draw = new int[n];
        for (var s = 0; s < options.Samples; s++)
        {
            for (var i = 0; i < n; i++) draw[i] = random.Next(n);
            if (statistic(draw) is var v && !double.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return (double.NaN, double.NaN);
        var tail = (1 - options.Confidence) / 2;
        return (Percentiles.Of(values, 100 * tail), Percentiles.Of(values, 100 * (1 - tail)));
    }

    /// <summary>A statistic of a resample given as how many times each sample was drawn.</summary>
    public delegate double WeightedStatistic(ReadOnlySpan<int> weights);

    /// <summary>
    /// The resamples of <see cref="Interval"/>, given to <paramref name="statistic"/> as per-sample draw counts (metrics that
    /// sort or group the samples need no index list).
    /// </summary>
    public static (double Low, double High) WeightedInterval(int n, BootstrapOptions options, WeightedStatistic statistic)
    {
        var weights = new int[n];
        return Interval(n, options, draw =>
        {
            Array.Clear(weights);
            foreach (var i in draw) weights[i]++;
            return statistic(weights);
        });
    }
}
