namespace ProbeBench.Core.Results;

/// <summary>
/// What counts as a regression. Accuracy: with per-sample predictions on both sides for the same test samples, a paired
/// bootstrap interval of the top-1 difference lying entirely below −<see cref="AccuracyDropPoints"/>; otherwise a drop
/// beyond both runs' intervals combined, where the candidate's interval never widens the tolerance beyond the baseline's.
/// Speed: a change beyond the percentage AND a one-sided Mann–Whitney test rejecting "no change beyond it" at
/// <see cref="SpeedAlpha"/>; beyond the percentage without that is "noisy".
/// </summary>
public sealed record CompareOptions(
    double AccuracyDropPoints = 0,
    double ThroughputDropPercent = 10,
    double LatencyIncreasePercent = 10,
    bool RequireSpeed = false,
    bool Strict = false,
    double SpeedAlpha = 0.05,
    int BootstrapSamples = 2000,
    int BootstrapSeed = 0);

/// <summary>How one compared measurement came out.</summary>
public enum Verdict
{
    Ok,
    Improved,
    Regressed,
    /// <summary>Beyond the threshold, but the timings are too noisy (or too few) to tell.</summary>
    Noisy,
    /// <summary>A side did not measure it (features from the cache, or no timings).</summary>
    NotMeasured,
    /// <summary>Only the candidate has the row.</summary>
    New,
    /// <summary>Only the baseline has the row.</summary>
    Missing,
}

/// <summary>One compared measurement; <paramref name="Rule"/> says how it was judged, in words.</summary>
public sealed record Change(string Row, string Metric, double? Baseline, double? Candidate, string Delta, string Rule, Verdict Verdict)
{
    /// <summary>Does this verdict fail the gate?</summary>
    public bool Fails(CompareOptions options) => Verdict switch
    {
        Verdict.Regressed or Verdict.Missing => true,
        Verdict.Noisy => options.Strict,
        Verdict.NotMeasured => options.RequireSpeed && Metric != "top-1 %",
        _ => false,
    };
}

/// <summary>The outcome of a comparison: every measurement, and warnings about what makes the runs hard to compare.</summary>
public sealed record Comparison(IReadOnlyList<Change> Changes, IReadOnlyList<string> Warnings, CompareOptions Options)
{
    public bool Regressed => Changes.Any(c => c.Fails(Options));

    public int Count(Verdict verdict) => Changes.Count(c => c.Verdict == verdict);
}
