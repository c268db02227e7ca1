using System.Globalization;
using ProbeBench.Core.Metrics;

namespace ProbeBench.Core.Results;

/// <summary>
/// The CI gate over two runs' rows, matched by <see cref="RowIdentity"/>. Values that cannot be (NaN, empty, outside their
/// range, top-1 that disagrees with the row's own predictions) are an error naming the row, never a pass.
/// </summary>
public static class ResultsComparer
{
    public static Comparison Compare(IReadOnlyList<ResultRow> baseline, IReadOnlyList<ResultRow> candidate, CompareOptions? options = null,
        IReadOnlyList<string>? warnings = null)
    {
        options ??= new CompareOptions();
        foreach (var row in baseline) ResultChecks.Validate(row, "baseline");
        foreach (var row in candidate) ResultChecks.Validate(row, "candidate");
        CheckKinds(baseline, candidate);
        var baselines = Index(baseline, "baseline");
        var candidates = Index(candidate, "candidate");
        var changes = new List<Change>();
        foreach (var (key, b) in baselines)
        {
            var label = RowIdentity.Label(b);
            if (!candidates.TryGetValue(key, out var c))
            {
                changes.Add(b.IsAccuracy
                    ? new Change(label, "top-1 %", Pct(b.Top1), null, "", "the candidate lacks this row", Verdict.Missing)
                    : new Change(label, "img/s", b.ImagesPerSecond, null, "", "the candidate has no such speed row", Verdict.NotMeasured));
                continue;
            }
            if (b.IsAccuracy) changes.Add(Accuracy(label, b, c, options));
            else changes.AddRange(Speed(label, b, c, options));
        }
        changes.AddRange(candidates.Where(kv => !baselines.ContainsKey(kv.Key))
            .Select(kv => new Change(RowIdentity.Label(kv.Value), kv.Value.IsAccuracy ? "top-1 %" : "img/s",
                null, kv.Value.IsAccuracy ? Pct(kv.Value.Top1) : kv.Value.ImagesPerSecond, "", "only the candidate has this row", Verdict.New)));
        return new Comparison(changes, warnings ?? [], options);
    }

    private static Change Accuracy(string label, ResultRow b, ResultRow c, CompareOptions options)
    {
        if (b.Top1 is null || c.Top1 is null) return MetricOnly(label, b, c, options);
        var delta = 100 * (c.Top1!.Value - b.Top1!.Value) + 0.0; // + 0.0 turns −0 into 0
        var deltaText = $"{delta:+0.00;-0.00;0.00} pp";
        var threshold = options.AccuracyDropPoints;
        if (Pairing(b, c) is { } why)
        {
            var (low, high) = Unpaired(b, c);
            var tolerance = Math.Max(threshold, high);
            var verdict = -delta > tolerance ? Verdict.Regressed : delta > low ? Verdict.Improved : Verdict.Ok;
            return new Change(label, "top-1 %", Pct(b.Top1), Pct(c.Top1), deltaText,
                $"unpaired ({why}): drop ≤ {tolerance:F2} pp, the baseline's interval combined with at most as much of the candidate's", verdict);
        }
        var correctB = b.Predictions!.Select((p, i) => p == b.TestLabels![i]).ToList();
        var correctC = c.Predictions!.Select((p, i) => p == c.TestLabels![i]).ToList();
        var (lo, hi) = Bootstrap.PairedDifferenceInterval(correctB, correctC, new BootstrapOptions(options.BootstrapSamples, options.BootstrapSeed));
        var paired = hi * 100 < -threshold ? Verdict.Regressed : lo > 0 ? Verdict.Improved : Verdict.Ok;
        return new Change(label, "top-1 %", Pct(b.Top1), Pct(c.Top1), deltaText,
            string.Create(CultureInfo.InvariantCulture, $"paired on {correctB.Count} samples: 95% CI of the change [{100 * lo:+0.00;-0.00;0.00}, {100 * hi:+0.00;-0.00;0.00}] pp, regression below -{threshold:F2} pp"),
            paired);
    }

    // Rows that report only a dataset metric (VOC's mAP, segmentation's mIoU, depth's RMSE): the unpaired rule on that
    // metric and its intervals, in the metric's direction.
    private static Change MetricOnly(string label, ResultRow b, ResultRow c, CompareOptions options)
    {
        if (!Kernel.DatasetMetrics.HigherIsBetter(b.Metric)) return LowerIsBetter(label, b, c);
        var delta = 100 * (c.MetricValue!.Value - b.MetricValue!.Value) + 0.0;
        var hb = 100 * (b.MetricCiHigh!.Value - b.MetricCiLow!.Value) / 2;
        var hc = 100 * (c.MetricCiHigh!.Value - c.MetricCiLow!.Value) / 2;
        var tolerance = Math.Max(options.AccuracyDropPoints, Math.Sqrt(hb * hb + Math.Pow(Math.Min(hb, hc), 2)));
        var verdict = -delta > tolerance ? Verdict.Regressed : delta > tolerance ? Verdict.Improved : Verdict.Ok;
        return new Change(label, $"{b.Metric} %", Pct(b.MetricValue), Pct(c.MetricValue), $"{delta:+0.00;-0.00;0.00} pp",
            $"unpaired: drop ≤ {tolerance:F2} pp, the baseline's interval combined with at most as much of the candidate's", verdict);
    }

    // RMSE and the like: a rise is the regression; the tolerance is the intervals' combined half-width in the metric's unit
    // (no percentage-point floor applies to metres).
    private static Change LowerIsBetter(string label, ResultRow b, ResultRow c)
    {
        var delta = c.MetricValue!.Value - b.MetricValue!.Value + 0.0;
        var hb = (b.MetricCiHigh!.Value - b.MetricCiLow!.Value) / 2;
        var hc = (c.MetricCiHigh!.Value - c.MetricCiLow!.Value) / 2;
        var tolerance = Math.Sqrt(hb * hb + Math.Pow(Math.Min(hb, hc), 2));
        var verdict = delta > tolerance ? Verdict.Regressed : -delta > tolerance ? Verdict.Improved : Verdict.Ok;
        return new Change(label, $"{b.Metric} m (lower is better)", b.MetricValue, c.MetricValue,
            string.Create(CultureInfo.InvariantCulture, $"{delta:+0.0000;-0.0000;0.0000} m"),
            string.Create(CultureInfo.InvariantCulture, $"unpaired: rise ≤ {tolerance:F4} m, the baseline's interval combined with at most as much of the candidate's"), verdict);
    }

    /// <summary>Null when both rows carry predictions for the same test samples, else why the rule falls back.</summary>
    private static string? Pairing(ResultRow b, ResultRow c)
    {
        if (b.Predictions is null || c.Predictions is null || b.TestLabels is null || c.TestLabels is null) return "a side has no per-sample predictions";
        if (b.TestSamples != c.TestSamples || !b.TestLabels.SequenceEqual(c.TestLabels)) return "the runs scored different test samples";
        return null;
    }

    // The tolerance of the unpaired rule and the improvement bar: √(h_b² + min(h_b, h_c)²), so a candidate that claims a
    // wide interval cannot widen its own tolerance.
    private static (double Improvement, double Tolerance) Unpaired(ResultRow b, ResultRow c)
    {
        var hb = 100 * (b.Top1CiHigh!.Value - b.Top1CiLow!.Value) / 2;
        var hc = 100 * (c.Top1CiHigh!.Value - c.Top1CiLow!.Value) / 2;
        var combined = Math.Sqrt(hb * hb + Math.Pow(Math.Min(hb, hc), 2));
        return (combined, combined);
    }

    private static IEnumerable<Change> Speed(string label, ResultRow b, ResultRow c, CompareOptions options)
    {
        if (b.FromCache || c.FromCache)
        {
            yield return new Change(label, "img/s", b.ImagesPerSecond, c.ImagesPerSecond, "",
                $"{(c.FromCache ? "the candidate" : "the baseline")} read this split from the feature cache: nothing was timed", Verdict.NotMeasured);
            yield break;
        }
        // With each machine's own matmul rate on both sides, timings are compared in units of it: a slower or busier
        // machine is not a slower ProbeBench.
        var (scaleB, scaleC, relative) = b.ReferenceGflops is > 0 && c.ReferenceGflops is > 0
            ? (b.ReferenceGflops.Value, c.ReferenceGflops.Value, true) : (1.0, 1.0, false);
        var unit = relative ? " (relative to each machine's matmul rate)" : "";
        var batch = b.BatchSize ?? 1;
        var rateB = b.BatchMs.Select(ms => batch * 1000 / ms / scaleB).ToList();
        var rateC = c.BatchMs.Select(ms => batch * 1000 / ms / scaleC).ToList();
        var other = OtherHardware(b, c);
        yield return OnOtherHardware(Scaled(Shift(label, "img/s", rateB, rateC, options.ThroughputDropPercent, higherIsBetter: true, options), scaleB, scaleC, unit), other);
        yield return OnOtherHardware(Scaled(Shift(label, "batch latency ms", b.BatchMs.Select(ms => ms * scaleB).ToList(), c.BatchMs.Select(ms => ms * scaleC).ToList(),
            options.LatencyIncreasePercent, higherIsBetter: false, options), 1 / scaleB, 1 / scaleC, unit), other);
        if (b.Batch1Ms.Count > 0 && c.Batch1Ms.Count > 0)
            yield return OnOtherHardware(Scaled(Shift(label, "batch-1 latency ms", b.Batch1Ms.Select(ms => ms * scaleB).ToList(), c.Batch1Ms.Select(ms => ms * scaleC).ToList(),
                options.LatencyIncreasePercent, higherIsBetter: false, options), 1 / scaleB, 1 / scaleC, unit), other);
    }

    // The matmul rate corrects for a slower or busier machine of the same kind, not for another processor: a small model's
    // extraction is not matmul-bound, and the same code on an Intel Xeon came out 47 % "slower" than on an AMD EPYC relative
    // to each one's matmul rate, while its own img/s was 16 % lower. So on other hardware a speed change is reported, not failed.
    // The processor that ran the rows: the GPU for a CUDA row (the host CPU barely matters), the CPU for a CPU row.
    private static string? OtherHardware(ResultRow b, ResultRow c)
    {
        if (b.Device.StartsWith("cuda", StringComparison.Ordinal))
        {
            var (gpuB, gpuC) = (b.Gpu ?? "none", c.Gpu ?? "none");
            return gpuB != gpuC ? $"the GPUs differ ({gpuB}, {gpuC})" : null;
        }
        return b.Cpu is { Length: > 0 } cpuB && c.Cpu is { Length: > 0 } cpuC && cpuB != cpuC ? $"the CPUs differ ({cpuB}, {cpuC})" : null;
    }

    private static Change OnOtherHardware(Change change, string? other) =>
        other is null || change.Verdict != Verdict.Regressed ? change
            : change with { Verdict = Verdict.Noisy, Rule = $"{change.Rule}; {other}: not a regression this comparison can tell" };

    // Shows the medians in real units again; the verdict stays the one on the relative timings.
    private static Change Scaled(Change change, double scaleB, double scaleC, string unit) =>
        change with { Baseline = change.Baseline * scaleB, Candidate = change.Candidate * scaleC, Rule = change.Rule + unit };

    /// <summary>
    /// A speed metric's verdict from two timing samples: the medians' change against the threshold, then the one-sided
    /// Mann–Whitney test of "the candidate is worse by more than the threshold" (the baseline sample scaled by it).
    /// </summary>
    internal static Change Shift(string label, string metric, IReadOnlyList<double> b, IReadOnlyList<double> c, double thresholdPercent,
        bool higherIsBetter, CompareOptions options)
    {
        if (b.Count == 0 || c.Count == 0)
            return new Change(label, metric, Median(b), Median(c), "", "a side recorded no timings", Verdict.NotMeasured);
        double mb = Median(b)!.Value, mc = Median(c)!.Value;
        var change = 100 * (mc - mb) / mb + 0.0;
        var worse = higherIsBetter ? -change : change;
        var deltaText = $"{change:+0.0;-0.0;0.0} %";
        var rule = $"{(higherIsBetter ? "drop" : "rise")} ≤ {thresholdPercent:F0} %, else Mann–Whitney at {options.SpeedAlpha:0.##}";
        if (worse <= thresholdPercent)
            return new Change(label, metric, mb, mc, deltaText, rule, worse < -thresholdPercent ? Verdict.Improved : Verdict.Ok);
        var factor = higherIsBetter ? 1 - thresholdPercent / 100 : 1 + thresholdPercent / 100;
        var shifted = b.Select(v => v * factor).ToList();
        var p = higherIsBetter ? MannWhitney.PGreater(shifted, c) : MannWhitney.PGreater(c, shifted);
        if (p is null)
            return new Change(label, metric, mb, mc, deltaText, $"{rule}; too few timings ({b.Count} and {c.Count}, need {MannWhitney.MinSamples})", Verdict.Noisy);
        return new Change(label, metric, mb, mc, deltaText, string.Create(CultureInfo.InvariantCulture, $"{rule}: p = {p.Value:0.###}"),
            p.Value < options.SpeedAlpha ? Verdict.Regressed : Verdict.Noisy);
    }

    private static double? Median(IReadOnlyList<double> values) => values.Count == 0 ? null : Kernel.Percentiles.Of(values, 50);

    private static double? Pct(double? fraction) => fraction * 100;

    private static void CheckKinds(IReadOnlyList<ResultRow> baseline, IReadOnlyList<ResultRow> candidate)
    {
        static string What(IReadOnlyList<ResultRow> rows) =>
            rows.Any(r => r.Kind == ResultKinds.Bench) && !rows.Any(r => r.IsAccuracy) ? "a bench run"
            : rows.Any(r => r.IsAccuracy) && !rows.Any(r => r.Kind == ResultKinds.Bench) ? "an evaluation run" : "mixed";
        var (b, c) = (What(baseline), What(candidate));
        if (b != c && b != "mixed" && c != "mixed")
            throw new ProbeBenchException($"The baseline is {b} and the candidate {c}; compare a run with a run of the same kind.");
    }

    private static Dictionary<string, ResultRow> Index(IReadOnlyList<ResultRow> rows, string which)
    {
        var index = new Dictionary<string, ResultRow>();
        foreach (var row in rows)
            if (!index.TryAdd(RowIdentity.Key(row), row))
                throw new ProbeBenchException($"The {which} results hold two rows for {RowIdentity.Label(row)}; they cannot be matched.");
        return index;
    }

    public static string Number(double? value) => value is not { } v ? "" : v.ToString(Math.Abs(v) >= 100 ? "N1" : "G4", CultureInfo.InvariantCulture);
}
