namespace ProbeBench.Core.Results;

/// <summary>
/// What counts as a regression. Accuracy: a top-1 drop beyond <see cref="AccuracyDropPoints"/> percentage points,
/// or by default beyond the combined half-widths of the two runs' bootstrap intervals, √(h₁² + h₂²), a conservative
/// stand-in for the interval of the difference when only per-run intervals are stored. Speed: a drop (throughput)
/// or rise (latency, time) beyond the percentage AND outside both runs' measured spread, so noise alone never fails.
/// </summary>
public sealed record CompareOptions(
    double? AccuracyDropPoints = null,
    double ThroughputDropPercent = 10,
    double LatencyIncreasePercent = 20,
    double FallbackAccuracyDropPoints = 1.0);

/// <summary>One compared measurement.</summary>
public sealed record Change(string Row, string Metric, double Baseline, double Candidate, string Delta, string Allowed, bool Regressed);

/// <summary>The outcome of a comparison.</summary>
public sealed record Comparison(IReadOnlyList<Change> Changes, IReadOnlyList<string> MissingInCandidate, IReadOnlyList<string> NewInCandidate)
{
    public bool Regressed => MissingInCandidate.Count > 0 || Changes.Any(c => c.Regressed);
}
