using System.Globalization;

namespace ProbeBench.Core.Results;

/// <summary>The CI gate over two runs' <see cref="ResultRow"/>s, matched by <see cref="ResultRow.MatchKey"/>.</summary>
public static class ResultsComparer
{
    public static Comparison Compare(IReadOnlyList<ResultRow> baseline, IReadOnlyList<ResultRow> candidate, CompareOptions? options = null)
    {
        options ??= new CompareOptions();
        var candidates = Index(candidate, "candidate");
        var baselines = Index(baseline, "baseline");
        var changes = new List<Change>();
        foreach (var (key, b) in baselines)
        {
            if (!candidates.TryGetValue(key, out var c)) continue;
            var label = Label(b);
            if (b.Top1 is { } bt && c.Top1 is { } ct)
            {
                var drop = 100 * (bt - ct);
                var allowed = options.AccuracyDropPoints
                              ?? (HalfWidth(b) is { } hb && HalfWidth(c) is { } hc ? 100 * Math.Sqrt(hb * hb + hc * hc) : options.FallbackAccuracyDropPoints);
                var delta = 100 * (ct - bt) + 0.0; // + 0.0 turns −0 into 0
                changes.Add(new Change(label, "top-1 %", 100 * bt, 100 * ct, $"{delta:+0.00;-0.00;0.00} pp", $"drop ≤ {allowed:F2} pp", drop > allowed));
            }
            if (b.ImagesPerSecond is { } bs && c.ImagesPerSecond is { } cs && bs > 0)
            {
                var dropPercent = 100 * (bs - cs) / bs;
                // Outside the noise band: the candidate's best is below the baseline's worst.
                var beyondNoise = c.ImagesPerSecondMax is not { } cMax || b.ImagesPerSecondMin is not { } bMin || cMax < bMin;
                changes.Add(new Change(label, "img/s", bs, cs, $"{-dropPercent + 0.0:+0.0;-0.0;0.0} %", $"drop ≤ {options.ThroughputDropPercent:F0} % or within spread",
                    dropPercent > options.ThroughputDropPercent && beyondNoise));
            }
            if (b.LatencyP50Ms is { } bLat && c.LatencyP50Ms is { } cLat && bLat > 0)
            {
                var risePercent = 100 * (cLat - bLat) / bLat;
                // Outside the noise band: the candidate's median is above the baseline's 95th percentile.
                var beyondNoise = b.LatencyP95Ms is not { } high || cLat > high;
                changes.Add(new Change(label, "latency p50 ms", bLat, cLat, $"{risePercent + 0.0:+0.0;-0.0;0.0} %", $"rise ≤ {options.LatencyIncreasePercent:F0} % or within spread",
                    risePercent > options.LatencyIncreasePercent && beyondNoise));
            }
        }
        return new Comparison(changes,
            baselines.Keys.Where(k => !candidates.ContainsKey(k)).Select(k => Label(baselines[k])).ToList(),
            candidates.Keys.Where(k => !baselines.ContainsKey(k)).Select(k => Label(candidates[k])).ToList());
    }

    /// <summary>The comparison as Markdown for CI logs.</summary>
    public static string ToMarkdown(Comparison comparison, string baselineName, string candidateName)
    {
        var lines = new List<string>
        {
            $"## ProbeBench compare: {(comparison.Regressed ? "REGRESSION" : "pass")}",
            "",
            $"baseline `{baselineName}` → candidate `{candidateName}`",
            "",
            "| row | metric | baseline | candidate | change | allowed | verdict |",
            "|---|---|---|---|---|---|---|",
        };
        foreach (var c in comparison.Changes.OrderByDescending(c => c.Regressed))
            lines.Add($"| {c.Row} | {c.Metric} | {Number(c.Baseline)} | {Number(c.Candidate)} | {c.Delta} | {c.Allowed} | {(c.Regressed ? "**regressed**" : "ok")} |");
        lines.AddRange(comparison.MissingInCandidate.Select(m => $"| {m} | (row) | present | **missing** | | | **regressed** |"));
        lines.AddRange(comparison.NewInCandidate.Select(m => $"| {m} | (row) | absent | new | | | ok |"));
        return string.Join('\n', lines) + "\n";
    }

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "N1" : "G4", CultureInfo.InvariantCulture);

    private static double? HalfWidth(ResultRow row) =>
        row.Top1CiLow is { } low && row.Top1CiHigh is { } high ? (high - low) / 2 : null;

    private static Dictionary<string, ResultRow> Index(IReadOnlyList<ResultRow> rows, string which)
    {
        var index = new Dictionary<string, ResultRow>();
        foreach (var row in rows)
            if (!index.TryAdd(row.MatchKey, row))
                throw new ProbeBenchException($"The {which} results hold two rows for {Label(row)}; they cannot be matched.");
        return index;
    }

    private static string Label(ResultRow r) => r.Kind switch
    {
        "speed" => $"speed {r.Model} {r.Precision} {r.Resolution}px batch {r.BatchSize} ({r.Device})",
        "extraction" => $"extraction {r.Model} {r.Dataset}/{r.HyperParameter} batch {r.BatchSize} ({r.Device})",
        _ => $"{r.Model} {r.Dataset} {r.LayerChoice} {r.Head} {r.HyperParameter}".TrimEnd(),
    };
}
