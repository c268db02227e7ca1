using ProbeBench.Core.Kernel;
using ScottPlot;

namespace ProbeBench.Core.Results;

public static partial class RunFigures
{
    /// <summary>
    /// RMSE vs block and mIoU vs block, per model (one figure per model when there are several), from the dense heads'
    /// single-block rows (<c>every-block-patch</c>, <c>patch@&lt;block&gt;</c>), with their 95% bootstrap bands.
    /// </summary>
    private static void DenseVsBlock(string folder, IReadOnlyList<ResultRow> rows, List<(string, string)> written)
    {
        foreach (var (metric, name, axis, scale) in new[] { (DatasetMetrics.Rmse, "rmse_vs_block", "RMSE (m)", 1.0), (DatasetMetrics.Miou, "miou_vs_block", "mIoU (%)", 100.0) })
        {
            var perBlock = rows.Where(r => r.IsDense && r.Primary && r.Metric == metric && r.BlockIndex is not null && r.MetricValue is not null)
                .GroupBy(r => r.ModelLabel).Where(g => g.Select(r => r.BlockIndex).Distinct().Count() > 1).ToList();
            foreach (var model in perBlock)
            {
                var plot = new Plot();
                foreach (var line in model.GroupBy(r => (r.DatasetLabel, r.Head)))
                {
                    var points = line.OrderBy(r => r.BlockIndex).ToList();
                    var xs = points.Select(p => (double)p.BlockIndex!.Value).ToArray();
                    var scatter = plot.Add.Scatter(xs, points.Select(p => scale * p.MetricValue!.Value).ToArray());
                    scatter.LegendText = $"{line.Key.Head} ({line.Key.DatasetLabel})";
                    scatter.LineWidth = 2;
                    scatter.MarkerSize = 6;
                    if (points.All(p => p.MetricCiLow is not null && p.MetricCiHigh is not null))
                    {
                        var band = plot.Add.FillY(xs, points.Select(p => scale * p.MetricCiLow!.Value).ToArray(), points.Select(p => scale * p.MetricCiHigh!.Value).ToArray());
                        band.FillStyle.Color = scatter.Color.WithAlpha(0.15);
                        band.LineStyle.Width = 0;
                    }
                }
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
                var file = perBlock.Count > 1 ? $"{name}_{Slug(model.Key)}" : name;
                var title = metric == DatasetMetrics.Rmse
                    ? $"Depth RMSE vs block, {model.Key} (patch + class token; lower is better; 95% bootstrap band)"
                    : $"Segmentation mIoU vs block, {model.Key} (patch tokens; 95% bootstrap band)";
                Save(plot, folder, file, title, "block index", axis, written, metric == DatasetMetrics.Rmse ? Alignment.UpperRight : Alignment.LowerRight);
            }
        }
    }
}
