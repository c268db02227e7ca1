using System.Globalization;

namespace ProbeBench.Core.Results;

/// <summary>A table of text cells; <see cref="Numeric"/> marks columns that sort as numbers.</summary>
public sealed record TextTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<bool> Numeric);

/// <summary>The tables a run shows, built once for the terminal, report.md and report.html alike.</summary>
public static class ResultTables
{
    public const string SelectionNote =
        "Hyper-parameters (C, k, learning rate) are chosen on a stratified 10% validation split of train, never on test; " +
        "top-1 intervals are seeded 95% bootstrap intervals over the test samples; the verdict's comparison with cls@last is a paired bootstrap on the same samples.";

    public static TextTable Verdicts(IReadOnlyList<LayerVerdict> verdicts) => new("Which layer is best?",
        ["model", "dataset", "head", "verdict"],
        verdicts.Select(v => (IReadOnlyList<string>)[v.Model, v.Dataset, v.Head, v.Sentence()]).ToList(),
        [false, false, false, false]);

    /// <summary>The accuracy rows; without <paramref name="allSettings"/> only each head's answers (<see cref="ResultRow.Primary"/>).</summary>
    public static TextTable Accuracy(IReadOnlyList<ResultRow> rows, bool allSettings = true)
    {
        var accuracy = rows.Where(r => r.IsAccuracy && !r.IsDense && (allSettings || r.Primary)).OrderBy(r => r.ModelLabel).ThenBy(r => r.DatasetLabel).ThenBy(r => r.Head)
            .ThenByDescending(r => r.Primary).ThenByDescending(r => r.Top1).ToList();
        return new TextTable("Accuracy",
            ["model", "dataset", "layer choice", "head", "setting", "chosen on validation", "top-1 %", "95% CI", "top-5 %", "balanced %", "dataset metric %", "log-loss", "train s", "samples/s"],
            accuracy.Select(r => (IReadOnlyList<string>)
            [
                r.ModelLabel, r.DatasetLabel, r.LayerChoice, r.Head, r.Setting, r.Chosen, Pct(r.Top1), r.Top1 is null ? "" : $"{Pct(r.Top1CiLow)}–{Pct(r.Top1CiHigh)}",
                Pct(r.Top5), Pct(r.BalancedAccuracy),
                r.Metric is "" or Kernel.DatasetMetrics.Top1 ? "" : $"{r.Metric} {Pct(r.MetricValue)} ({Pct(r.MetricCiLow)}–{Pct(r.MetricCiHigh)})",
                F(r.LogLoss, "F4"), F(r.HeadTrainSeconds, "F2"), F(r.HeadSamplesPerSecond, "N0"),
            ]).ToList(),
            [false, false, false, false, false, false, true, false, true, true, false, true, true, true]);
    }

    public static TextTable Extraction(IReadOnlyList<ResultRow> rows) => new("Extraction",
        ["model", "dataset", "split", "images", "end-to-end img/s", "backbone img/s", "batch p50 / p95 / p99 ms", "cold batch ms", "batch-1 ms", "batch", "precision", "device"],
        rows.Where(r => r.Kind == ResultKinds.Extraction).Select(r => (IReadOnlyList<string>)(r.FromCache
            ? [r.ModelLabel, r.DatasetLabel, r.Split ?? "", "from cache", "not measured", "", "", "", "", F(r.BatchSize, "N0"), r.Precision, r.Device]
            : [r.ModelLabel, r.DatasetLabel, r.Split ?? "", F(r.Images, "N0"), F(r.ImagesPerSecond, "N1"), F(r.BackboneImagesPerSecond, "N1"),
               $"{F(r.BatchLatencyP50Ms, "N1")} / {F(r.BatchLatencyP95Ms, "N1")} / {F(r.BatchLatencyP99Ms, "N1")}", F(r.ColdBatchMs, "N1"), F(r.Batch1LatencyP50Ms, "N2"),
               F(r.BatchSize, "N0"), r.Precision, r.Device])).ToList(),
        [false, false, false, true, true, true, false, true, true, true, false, false]);

    public static TextTable Bench(IReadOnlyList<ResultRow> rows) => new("Backbone speed",
        ["model", "precision", "resolution", "batch", "img/s (median)", "min–max", "timed batches", "TFLOP/s", "batch-1 p50 / p95 ms", "device"],
        rows.Where(r => r.Kind == ResultKinds.Bench).Select(r => (IReadOnlyList<string>)
        [
            r.ModelLabel, r.Precision, F(r.Resolution, "N0"), F(r.BatchSize, "N0"), F(r.ImagesPerSecond, "N1"),
            $"{F(r.ImagesPerSecondMin, "N1")}–{F(r.ImagesPerSecondMax, "N1")}", r.BatchMs.Count.ToString(CultureInfo.InvariantCulture),
            F(r.ImagesPerSecond * r.GflopPerImage / 1000, "N3"), $"{F(r.Batch1LatencyP50Ms, "N2")} / {F(r.Batch1LatencyP95Ms, "N2")}", r.Device,
        ]).ToList(),
        [false, false, true, true, true, false, true, true, false, false]);

    /// <summary>Every non-empty table of a run, verdict first.</summary>
    public static IReadOnlyList<TextTable> All(IReadOnlyList<ResultRow> rows, bool allSettings = true) =>
        new[] { Verdicts(LayerVerdict.Of(rows)), Accuracy(rows, allSettings), DenseTable.Of(rows), Extraction(rows), Bench(rows) }.Where(t => t.Rows.Count > 0).ToList();

    /// <summary>What a table of head answers leaves out, for a line under it; null when nothing is left out.</summary>
    public static string? HiddenSettingsNote(IReadOnlyList<ResultRow> rows) =>
        rows.Count(r => r.IsAccuracy && !r.IsDense && !r.Primary) is var n and > 0
            ? $"{n} more accuracy rows, one per setting of each head's grid (k=…, C=…), are in accuracy.csv; --all-settings prints them."
            : null;

    public static string Pct(double? v) => v is { } x ? (100 * x).ToString("F2", CultureInfo.InvariantCulture) : "";

    private static string F(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string F(int? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    /// <summary>A table as GitHub Markdown (pipes escaped).</summary>
    public static string Markdown(TextTable table, int headingLevel = 2)
    {
        var md = new System.Text.StringBuilder();
        if (headingLevel > 0) md.Append($"{new string('#', headingLevel)} {table.Title}\n\n");
        md.Append($"| {string.Join(" | ", table.Headers.Select(Escape))} |\n|{string.Concat(table.Numeric.Select(n => n ? "---:|" : "---|"))}\n");
        foreach (var row in table.Rows) md.Append($"| {string.Join(" | ", row.Select(Escape))} |\n");
        return md.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}
