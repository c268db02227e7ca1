using System.Globalization;
using ScottPlot;

namespace ProbeBench.Core.Results;

/// <summary>
/// The run's figures (PNG and SVG), each drawn only when the run holds data for it: top-1 vs block per model (one figure
/// per model when there are several, so intervals never blend), with 95% bands and the chance level; best top-1 vs
/// model size; throughput vs batch size; the warm per-batch latency of each model and split. Accuracy figures use each
/// head's primary rows, whose hyper-parameters were chosen on validation.
/// </summary>
public static partial class RunFigures
{
    private const int Width = 900, Height = 540;

    /// <summary>Writes the figures into <paramref name="folder"/>; returns their base names (without extension) and titles.</summary>
    public static IReadOnlyList<(string Name, string Title)> Write(string folder, IReadOnlyList<ResultRow> rows)
    {
        var written = new List<(string, string)>();
        var accuracy = rows.Where(r => r.IsAccuracy && r.Primary && r.Top1 is not null).ToList();
        AccuracyVsBlock(folder, accuracy, written);
        DenseVsBlock(folder, rows, written);
        AccuracyVsSize(folder, accuracy, written);
        ThroughputVsBatch(folder, rows, written);
        Latency(folder, rows, written);
        return written;
    }

    private static void AccuracyVsBlock(string folder, List<ResultRow> accuracy, List<(string, string)> written)
    {
        var perBlock = accuracy.Where(r => r.BlockIndex is not null).GroupBy(r => r.ModelLabel)
            .Where(g => g.Select(r => r.BlockIndex).Distinct().Count() > 1).ToList();
        foreach (var model in perBlock)
        {
            var plot = new Plot();
            foreach (var line in model.GroupBy(r => (r.DatasetLabel, r.Head)))
            {
                var points = line.OrderBy(r => r.BlockIndex).ToList();
                var xs = points.Select(p => (double)p.BlockIndex!.Value).ToArray();
                var scatter = plot.Add.Scatter(xs, points.Select(p => 100 * p.Top1!.Value).ToArray());
                scatter.LegendText = perBlock.Count > 1 || model.Select(r => r.DatasetLabel).Distinct().Count() > 1
                    ? $"{line.Key.Head} ({line.Key.DatasetLabel})" : line.Key.Head;
                scatter.LineWidth = 2;
                scatter.MarkerSize = 6;
                if (points.All(p => p.Top1CiLow is not null && p.Top1CiHigh is not null))
                {
                    var band = plot.Add.FillY(xs, points.Select(p => 100 * p.Top1CiLow!.Value).ToArray(), points.Select(p => 100 * p.Top1CiHigh!.Value).ToArray());
                    band.FillStyle.Color = scatter.Color.WithAlpha(0.15);
                    band.LineStyle.Width = 0;
                }
            }
            ChanceLine(plot, model);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            var name = perBlock.Count > 1 ? $"accuracy_vs_block_{Slug(model.Key)}" : "accuracy_vs_block";
            Save(plot, folder, name, $"Top-1 vs block, {model.Key} (class token; 95% bootstrap band)", "block index", "top-1 (%)", written, Alignment.LowerRight);
        }
    }

    private static void ChanceLine(Plot plot, IEnumerable<ResultRow> rows)
    {
        var classes = rows.Select(r => r.Classes).OfType<int>().Distinct().ToList();
        if (classes.Count != 1 || classes[0] < 2) return;
        var chance = plot.Add.HorizontalLine(100.0 / classes[0], 1.5f, Colors.Gray);
        chance.LinePattern = LinePattern.Dashed;
        chance.LegendText = $"chance (1/{classes[0]})";
    }

    private static void AccuracyVsSize(string folder, List<ResultRow> accuracy, List<(string, string)> written)
    {
        // Two models are enough for the figure, even of two families with one model each (one point per family line).
        var sized = accuracy.Where(r => r.Parameters is > 0).ToList();
        if (sized.Select(r => r.Model).Distinct().Count() < 2) return;
        var bySize = sized.GroupBy(r => (r.Family, r.Head, r.DatasetLabel)).ToList();
        var plot = new Plot();
        var decades = new List<double>();
        foreach (var group in bySize)
        {
            var points = group.GroupBy(r => r.ModelLabel).Select(m => m.MaxBy(r => r.Top1!.Value)!).OrderBy(r => r.Parameters).ToList();
            // Sizes span ViT-S (21 M) to ViT-7B: log10 of the size keeps small models apart.
            var xs = points.Select(p => Math.Log10(p.Parameters!.Value / 1e6)).ToArray();
            var ys = points.Select(p => 100 * p.Top1!.Value).ToArray();
            decades.AddRange(xs);
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"{(group.Key.Family is { } f ? f + " · " : "")}{group.Key.Head} ({group.Key.DatasetLabel})";
            line.LineWidth = 2;
            line.MarkerSize = 8;
            for (var i = 0; i < points.Count; i++)
            {
                var label = plot.Add.Text(points[i].ModelLabel, xs[i], ys[i]);
                label.LabelFontSize = 11;
                label.LabelFontColor = line.Color;
                label.LabelOffsetY = -10;
                label.LabelAlignment = Alignment.LowerCenter;
            }
        }
        // Ticks at the measured sizes and at decades, labelled in millions, so every point can be read off the axis.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var x in decades.Concat(Enumerable.Range((int)Math.Floor(decades.Min()), (int)Math.Ceiling(decades.Max()) - (int)Math.Floor(decades.Min()) + 1).Select(d => (double)d))
                     .Select(x => Math.Round(x, 3)).Distinct().Order())
            ticks.AddMajor(x, FormatMillions(Math.Pow(10, x)));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Margins(0.12, 0.2);
        Save(plot, folder, "accuracy_vs_model_size", "Best top-1 vs backbone size (best layer choice per model, settings chosen on validation)",
            "parameters (millions, log scale)", "top-1 (%)", written, Alignment.LowerRight);
    }

    private static string FormatMillions(double millions) => millions >= 1000
        ? (millions / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " B"
        : millions.ToString(millions < 10 ? "0.##" : "0", CultureInfo.InvariantCulture) + " M";

    private static void ThroughputVsBatch(string folder, IReadOnlyList<ResultRow> rows, List<(string, string)> written)
    {
        var speed = rows.Where(r => r.Kind == ResultKinds.Bench && r.ImagesPerSecond is not null && r.BatchSize is not null)
            .GroupBy(r => (r.ModelLabel, r.Precision, r.Resolution)).Where(g => g.Select(r => r.BatchSize).Distinct().Count() > 1).ToList();
        if (speed.Count == 0) return;
        var plot = new Plot();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var batch in speed.SelectMany(g => g.Select(r => r.BatchSize!.Value)).Distinct().Order())
            ticks.AddMajor(batch, batch.ToString(CultureInfo.InvariantCulture));
        foreach (var group in speed)
        {
            var points = group.OrderBy(r => r.BatchSize).ToList();
            var xs = points.Select(p => (double)p.BatchSize!.Value).ToArray();
            var line = plot.Add.Scatter(xs, points.Select(p => p.ImagesPerSecond!.Value).ToArray());
            line.LegendText = $"{group.Key.ModelLabel} {group.Key.Precision} {group.Key.Resolution}px";
            line.LineWidth = 2;
            if (points.All(p => p.ImagesPerSecondMin is not null && p.ImagesPerSecondMax is not null))
            {
                var band = plot.Add.FillY(xs, points.Select(p => p.ImagesPerSecondMin!.Value).ToArray(), points.Select(p => p.ImagesPerSecondMax!.Value).ToArray());
                band.FillStyle.Color = line.Color.WithAlpha(0.15);
                band.LineStyle.Width = 0;
            }
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        Save(plot, folder, "throughput_vs_batch", "Backbone throughput vs batch size (median of warm batches; band: min–max)", "batch size", "images / s", written, Alignment.LowerRight);
    }

    // Fewer timed batches than this make a histogram of isolated bars; the tables still give their percentiles.
    private const int MinHistogramBatches = 5;

    private static void Latency(string folder, IReadOnlyList<ResultRow> rows, List<(string, string)> written)
    {
        // Full, warm batches only: a partial last batch is faster and a cold first one slower than the rest.
        var samples = rows.Where(r => r.Kind == ResultKinds.Extraction && !r.FromCache && r.BatchMs.Count > 1)
            .Select(r => (Label: $"{r.ModelLabel} {r.Split}", Values: FullBatches(r)))
            .Where(s => s.Values.Count >= MinHistogramBatches).ToList();
        if (samples.Count == 0) return;
        var all = samples.SelectMany(s => s.Values).ToList();
        double min = all.Min(), max = all.Max();
        var bins = Math.Clamp(all.Count / (3 * samples.Count), 5, 40);
        var width = Math.Max((max - min) / bins, 1e-9);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < samples.Count; s++)
        {
            var counts = new double[bins];
            foreach (var v in samples[s].Values) counts[Math.Min((int)((v - min) / width), bins - 1)]++;
            var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * width).ToArray(), counts);
            var color = palette.GetColor(s).WithAlpha(samples.Count > 1 ? 0.55 : 1);
            foreach (var bar in bars.Bars)
            {
                bar.Size = width * 0.9;
                bar.FillColor = color;
                bar.LineWidth = 0;
            }
            bars.LegendText = $"{samples[s].Label}: p50 {Kernel.Percentiles.Of(samples[s].Values, 50):F1} ms, p95 {Kernel.Percentiles.Of(samples[s].Values, 95):F1} ms";
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        Save(plot, folder, "latency_distribution", $"Warm, full-batch extraction latency ({all.Count} batches)", "latency per batch (ms)", "batches", written, Alignment.UpperRight);
    }

    private static IReadOnlyList<double> FullBatches(ResultRow r)
    {
        var partialLast = r.Images is { } images && r.BatchSize is { } size && size > 0 && images % size != 0;
        return partialLast ? r.BatchMs.Take(r.BatchMs.Count - 1).ToList() : r.BatchMs;
    }

    private static string Slug(string text) => new(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    private static void Save(Plot plot, string folder, string name, string title, string xLabel, string yLabel, List<(string, string)> written, Alignment legend)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
        written.Add((name, title));
    }
}
