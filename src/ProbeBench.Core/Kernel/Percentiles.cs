namespace ProbeBench.Core.Kernel;

/// <summary>Linear-interpolated percentiles (numpy's default method).</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var position = percent / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
