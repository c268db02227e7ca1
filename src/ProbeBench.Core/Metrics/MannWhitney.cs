namespace ProbeBench.Core.Metrics;

/// <summary>
/// The one-sided Mann–Whitney U test (normal approximation with tie and continuity corrections), as BenchmarkDotNet's
/// statistical test uses it: does a sample tend to be larger than another?
/// </summary>
public static class MannWhitney
{
    /// <summary>Samples smaller than this on either side give no verdict (the approximation needs them).</summary>
    public const int MinSamples = 10;

    /// <summary>The p-value of "<paramref name="x"/> tends to exceed <paramref name="y"/>" against "no difference"; null when a side has too few values.</summary>
    public static double? PGreater(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < MinSamples || y.Count < MinSamples) return null;
        var all = x.Select(v => (Value: v, FromX: true)).Concat(y.Select(v => (Value: v, FromX: false))).OrderBy(p => p.Value).ToArray();
        var ranks = new double[all.Length];
        var tieTerm = 0.0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].Value == all[i].Value) j++;
            var rank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[k] = rank;
            var t = j - i + 1;
            tieTerm += (double)t * t * t - t;
            i = j + 1;
        }
        double n1 = x.Count, n2 = y.Count, n = n1 + n2;
        var rankSumX = all.Select((p, i) => p.FromX ? ranks[i] : 0).Sum();
        var u = rankSumX - n1 * (n1 + 1) / 2;
        var mean = n1 * n2 / 2;
        var variance = n1 * n2 / 12 * (n + 1 - tieTerm / (n * (n - 1)));
        if (variance <= 0) return u > mean ? 0 : 1;
        var z = (u - mean - 0.5) / Math.Sqrt(variance);
        return 1 - NormalCdf(z);
    }

    // Abramowitz–Stegun 7.1.26 via erf; absolute error below 1.5e-7, ample for a test at 5%.
    private static double NormalCdf(double z)
    {
        var t = 1 / (1 + 0.3275911 * Math.Abs(z) / Math.Sqrt(2));
        var erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-z * z / 2);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
