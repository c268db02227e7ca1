namespace ProbeBench.Core.Results;

/// <summary>What a row's values must be for a comparison to mean anything; anything else is an error naming the row.</summary>
public static class ResultChecks
{
    public static void Validate(ResultRow row, string which)
    {
        var label = RowIdentity.Label(row);
        void Fail(string what) => throw new ProbeBenchException($"The {which}'s row {label}: {what}.");
        static bool Fraction(double? v) => v is { } x && double.IsFinite(x) && x >= 0 && x <= 1;

        if (row.IsAccuracy && row.Top1 is null && row.Metric == Kernel.DatasetMetrics.Rmse)
        {
            // A depth row reports its RMSE in metres alone.
            static bool Metres(double? v) => v is { } x && double.IsFinite(x) && x >= 0;
            if (!Metres(row.MetricValue)) Fail($"rmse is {row.MetricValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "empty"}, not a non-negative number of metres");
            if (!Metres(row.MetricCiLow) || !Metres(row.MetricCiHigh) || row.MetricCiLow > row.MetricValue || row.MetricValue > row.MetricCiHigh)
                Fail($"its rmse interval [{row.MetricCiLow}, {row.MetricCiHigh}] m does not hold its value {row.MetricValue} m");
            return;
        }
        if (row.IsAccuracy && row.Top1 is null && row.MetricValue is not null)
        {
            // A multi-label row (VOC's mAP) or a segmentation row (mIoU) reports its metric alone.
            if (!Fraction(row.MetricValue)) Fail($"{row.Metric} is {Show(row.MetricValue)}, not a percentage in [0, 100]");
            if (!Fraction(row.MetricCiLow) || !Fraction(row.MetricCiHigh) || row.MetricCiLow > row.MetricValue || row.MetricValue > row.MetricCiHigh)
                Fail($"its {row.Metric} interval [{Show(row.MetricCiLow)}, {Show(row.MetricCiHigh)}] does not hold its value {Show(row.MetricValue)}");
            return;
        }
        if (row.IsAccuracy)
        {
            if (!Fraction(row.Top1)) Fail($"top-1 is {Show(row.Top1)}, not a percentage in [0, 100]");
            if (!Fraction(row.Top1CiLow) || !Fraction(row.Top1CiHigh) || row.Top1CiLow > row.Top1 || row.Top1 > row.Top1CiHigh)
                Fail($"its interval [{Show(row.Top1CiLow)}, {Show(row.Top1CiHigh)}] does not hold its top-1 {Show(row.Top1)}");
            if (row.Top5 is not null && !Fraction(row.Top5)) Fail($"top-5 is {Show(row.Top5)}, not a percentage in [0, 100]");
            if (row.Predictions is { } predicted)
            {
                if (row.TestLabels is not { } labels || labels.Count != predicted.Count || (row.TestRows is { } n && n != predicted.Count))
                    Fail($"its predictions ({predicted.Count}) do not match its test samples ({row.TestRows})");
                var accuracy = predicted.Where((p, i) => p == row.TestLabels![i]).Count() / (double)Math.Max(predicted.Count, 1);
                if (Math.Abs(accuracy - row.Top1!.Value) > 1e-6)
                    Fail($"top-1 {Show(row.Top1)} disagrees with its own predictions ({100 * accuracy:F2} %)");
            }
            return;
        }
        if (row.FromCache) return;
        foreach (var (name, value) in new[] { ("img/s", row.ImagesPerSecond), ("backbone img/s", row.BackboneImagesPerSecond), ("batch latency p50", row.BatchLatencyP50Ms) })
            if (value is { } v && !(double.IsFinite(v) && v > 0)) Fail($"{name} is {v}, not a positive number");
        if (row.BatchMs.Concat(row.Batch1Ms).Any(ms => !(double.IsFinite(ms) && ms > 0)))
            Fail("a timing is not a positive number of milliseconds");
    }

    private static string Show(double? fraction) => fraction is { } v ? (100 * v).ToString("G6", System.Globalization.CultureInfo.InvariantCulture) + " %" : "empty";
}
