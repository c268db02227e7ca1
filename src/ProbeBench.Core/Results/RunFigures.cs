using ProbeBench.Core.Kernel;
using ScottPlot;

namespace ProbeBench.Core.Results;

/// <summary>
/// The run's figures (PNG and SVG): accuracy vs block index per model and head with CI bands, accuracy vs model
/// size per head, throughput vs batch size, and the per-batch latency distribution. Each figure is drawn only
/// when the run holds data for it.
/// </summary>
public static class RunFigures
{
    private const int Width = 900, Height = 540;

    /// <summary>Writes the figures into <paramref name="folder"/>; returns their base names (without extension).</summary>
    public static IReadOnlyList<(string Name, string Title)> Write(string folder, IReadOnlyList<ResultRow> rows, IReadOnlyList<double> batchLatenciesMs)
    {
        var written = new List<(string, string)>();
        var accuracy = rows.Where(r => r.Kind == "accuracy" && r.Top1 is not null).ToList();

        var perBlock = accuracy.Where(r => r.BlockIndex is not null).GroupBy(r => (r.Model, r.Dataset)).Where(g => g.Select(r => r.BlockIndex).Distinct().Count() > 1).ToList();
        if (perBlock.Count > 0)
        {
            var plot = new Plot();
            foreach (var group in perBlock)
                foreach (var head in group.GroupBy(r => r.Head))
                {
                    // Best hyper-parameter per block (rows of one head and block differ only in it).
                    var points = head.GroupBy(r => r.BlockIndex!.Value).Select(b => b.MaxBy(r => r.Top1!.Value)!).OrderBy(r => r.BlockIndex).ToList();
                    var xs = points.Select(p => (double)p.BlockIndex!.Value).ToArray();
                    var line = plot.Add.Scatter(xs, points.Select(p => 100 * p.Top1!.Value).ToArray());
                    line.LegendText = $"{group.Key.Model} · {head.Key} ({group.Key.Dataset})";
                    line.LineWidth = 2;
                    if (points.All(p => p.Top1CiLow is not null && p.Top1CiHigh is not null))
                    {
                        var band = plot.Add.FillY(xs, points.Select(p => 100 * p.Top1CiLow!.Value).ToArray(), points.Select(p => 100 * p.Top1CiHigh!.Value).ToArray());
                        band.FillStyle.Color = line.Color.WithAlpha(0.2);
                        band.LineStyle.Width = 0;
                    }
                }
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            Save(plot, folder, "accuracy_vs_block", "Top-1 accuracy vs block (class token; 95% bootstrap band)", "block index", "top-1 (%)", written);
        }

        var bySize = accuracy.Where(r => r.Parameters is not null).GroupBy(r => (r.Head, r.Dataset)).Where(g => g.Select(r => r.Model).Distinct().Count() > 1).ToList();
        if (bySize.Count > 0)
        {
            var plot = new Plot();
            foreach (var group in bySize)
            {
                var points = group.GroupBy(r => r.Model).Select(m => m.MaxBy(r => r.Top1!.Value)!).OrderBy(r => r.Parameters).ToList();
                // Sizes span ViT-S (21 M) to ViT-g (1.1 B): plot log10 of the size so small models do not collapse together.
                var xs = points.Select(p => Math.Log10(p.Parameters!.Value / 1e6)).ToArray();
                var ys = points.Select(p => 100 * p.Top1!.Value).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.LegendText = $"{group.Key.Head} ({group.Key.Dataset})";
                line.LineWidth = 2;
                line.MarkerSize = 8;
                for (var i = 0; i < points.Count; i++)
                {
                    var label = plot.Add.Text(points[i].Model, xs[i], ys[i]);
                    label.LabelFontSize = 12;
                    label.LabelFontColor = line.Color;
                    label.LabelOffsetY = -8;
                    label.LabelAlignment = Alignment.LowerCenter;
                }
            }
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true, // decades, with log-spaced minor ticks between them
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = x => Math.Pow(10, x).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
            };
            plot.Axes.Margins(0.1, 0.15);
            Save(plot, folder, "accuracy_vs_model_size", "Best top-1 accuracy vs backbone size (best layer choice and setting per model)", "parameters (millions, log scale)", "top-1 (%)", written);
        }

        var speed = rows.Where(r => r.Kind == "speed" && r.ImagesPerSecond is not null && r.BatchSize is not null)
            .GroupBy(r => (r.Model, r.Precision, r.Resolution)).Where(g => g.Select(r => r.BatchSize).Distinct().Count() > 1).ToList();
        if (speed.Count > 0)
        {
            var plot = new Plot();
            foreach (var group in speed)
            {
                var points = group.OrderBy(r => r.BatchSize).ToList();
                var xs = points.Select(p => (double)p.BatchSize!.Value).ToArray();
                var line = plot.Add.Scatter(xs, points.Select(p => p.ImagesPerSecond!.Value).ToArray());
                line.LegendText = $"{group.Key.Model} {group.Key.Precision} {group.Key.Resolution}px";
                line.LineWidth = 2;
                if (points.All(p => p.ImagesPerSecondMin is not null && p.ImagesPerSecondMax is not null))
                {
                    var band = plot.Add.FillY(xs, points.Select(p => p.ImagesPerSecondMin!.Value).ToArray(), points.Select(p => p.ImagesPerSecondMax!.Value).ToArray());
                    band.FillStyle.Color = line.Color.WithAlpha(0.2);
                    band.LineStyle.Width = 0;
                }
            }
            Save(plot, folder, "throughput_vs_batch", "Backbone throughput vs batch size (median of repeats; band: min–max)", "batch size", "images / s", written);
        }

        if (batchLatenciesMs.Count > 1)
        {
            var plot = new Plot();
            var (centers, counts, width) = Histogram(batchLatenciesMs, bins: Math.Clamp(batchLatenciesMs.Count / 3, 5, 40));
            var bars = plot.Add.Bars(centers, counts);
            foreach (var bar in bars.Bars) bar.Size = width * 0.9;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            foreach (var (p, color) in new[] { (50, Colors.Green), (95, Colors.Orange), (99, Colors.Red) })
            {
                var value = Percentiles.Of(batchLatenciesMs, p);
                var marker = plot.Add.VerticalLine(value, 2, color);
                marker.LinePattern = LinePattern.Dashed;
                marker.LegendText = $"p{p} {value:F1} ms";
            }
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, folder, "latency_distribution", $"Per-batch extraction latency ({batchLatenciesMs.Count} batches)", "latency (ms)", "batches", written);
        }
        return written;
    }

    private static (double[] Centers, double[] Counts, double Width) Histogram(IReadOnlyList<double> values, int bins)
    {
        double min = values.Min(), max = values.Max();
        var width = Math.Max((max - min) / bins, 1e-9);
        var counts = new double[bins];
        foreach (var v in values) counts[Math.Min((int)((v - min) / width), bins - 1)]++;
        return (Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * width).ToArray(), counts, width);
    }

    private static void Save(Plot plot, string folder, string name, string title, string xLabel, string yLabel, List<(string, string)> written)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (plot.GetPlottables().Any(p => p is ScottPlot.Plottables.Scatter)) plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
        written.Add((name, title));
    }
}
