namespace ProbeBench.Core.Results;

// The dataset's headline metric (the catalog's metric: top1, mean-per-class or map11) and its bootstrap interval, so
// rows of every dataset compare on the number its papers report.
public sealed partial record ResultRow
{
    /// <summary>top1, mean-per-class or map11 (empty for rows that are not accuracy rows).</summary>
    public string Metric { get; init; } = "";
    public double? MetricValue { get; init; }
    public double? MetricCiLow { get; init; }
    public double? MetricCiHigh { get; init; }
}
