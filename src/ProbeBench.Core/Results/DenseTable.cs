using System.Globalization;
using System.Net;
using System.Text;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Results;

/// <summary>
/// The dense heads' results: a table of every depth and segmentation row (headline with its interval, the other metrics),
/// and for report.md / report.html the training set each used and the example strips the heads drew.
/// </summary>
public static class DenseTable
{
    public static TextTable Of(IReadOnlyList<ResultRow> rows)
    {
        var dense = rows.Where(r => r.IsDense).OrderBy(r => r.ModelLabel).ThenBy(r => r.DatasetLabel).ThenBy(r => r.Head).ThenBy(r => r.BlockIndex ?? int.MaxValue).ThenBy(r => r.LayerChoice).ToList();
        return new TextTable("Dense probes",
            ["model", "dataset", "layer choice", "head", "setting", "headline", "95% CI", "abs_rel", "δ1 %", "silog", "mAcc %", "aAcc %", "train s", "images/s"],
            dense.Select(r => (IReadOnlyList<string>)
            [
                r.ModelLabel, r.DatasetLabel, r.LayerChoice, r.Head, r.Setting, Headline(r), Interval(r),
                F(r.AbsRel, "F4"), ResultTables.Pct(r.Delta1), F(r.SiLog, "F2"), ResultTables.Pct(r.MeanAccuracy), ResultTables.Pct(r.PixelAccuracy),
                F(r.HeadTrainSeconds, "F1"), F(r.HeadSamplesPerSecond, "N1"),
            ]).ToList(),
            [false, false, false, false, false, true, false, true, true, true, true, true, true, true]);
    }

    /// <summary>The training sets and example strips of the dense rows, as report.md and report.html sections ("" when there are none).</summary>
    public static (string Markdown, string Html) Render(IReadOnlyList<ResultRow> rows)
    {
        var dense = rows.Where(r => r.IsDense).ToList();
        if (dense.Count == 0) return ("", "");
        var md = new StringBuilder("\n## Dense probes: training sets and examples\n\n");
        var html = new StringBuilder("<h2>Dense probes: training sets and examples</h2>\n<ul>");
        foreach (var set in dense.Where(r => r.TrainSet is not null).GroupBy(r => (r.DatasetLabel, r.TrainSet)).Select(g => g.Key))
        {
            md.Append($"- **{set.DatasetLabel}** trained on {set.TrainSet}.\n");
            html.Append($"<li><b>{E(set.DatasetLabel)}</b> trained on {E(set.TrainSet!)}.</li>");
        }
        html.Append("</ul>\n");
        foreach (var r in dense.Where(r => r.ExampleFigure is not null))
        {
            var what = r.Metric == DatasetMetrics.Rmse
                ? "image · ground-truth depth · predicted depth (one colour scale, near blue to far red; black: no ground truth)"
                : "image · ground truth · prediction (classes overlaid in the PASCAL VOC palette; ignored pixels show the image)";
            var title = $"{r.Head} on {r.LayerChoice}: {r.ModelLabel} · {r.DatasetLabel}, {Headline(r)}";
            md.Append($"\n### {title}\n\n{what}\n\n![{title}]({r.ExampleFigure})\n");
            html.Append($"<h3>{E(title)}</h3>\n<p class=\"note\">{E(what)}</p>\n<img src=\"{E(r.ExampleFigure!)}\" alt=\"{E(title)}\">\n");
        }
        return (md.ToString(), html.ToString());
    }

    /// <summary>"rmse 0.412 m" or "miou 61.20 %".</summary>
    public static string Headline(ResultRow r) => r.Metric == DatasetMetrics.Rmse
        ? $"rmse {F(r.MetricValue, "F4")} m"
        : $"{r.Metric} {ResultTables.Pct(r.MetricValue)} %";

    private static string Interval(ResultRow r) => r.Metric == DatasetMetrics.Rmse
        ? $"{F(r.MetricCiLow, "F4")}–{F(r.MetricCiHigh, "F4")}"
        : $"{ResultTables.Pct(r.MetricCiLow)}–{ResultTables.Pct(r.MetricCiHigh)}";

    private static string F(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
