using System.Globalization;
using System.Net;
using System.Text;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Results;

/// <summary>
/// The paper-style summary of a run over several datasets (the DINOv2 linear-evaluation table): per head, rows are
/// models, columns are datasets (each in its own metric) and their average; plus the layer choice that scored best per
/// model and dataset. Each cell is the best row of that model, dataset and head; the layer is thereby picked on the
/// test split, which the table says.
/// </summary>
public static class SuiteTable
{
    public sealed record Cell(string Model, string Dataset, string Head, string Metric, double Value, double? CiLow, double? CiHigh, string LayerChoice);

    /// <summary>The best row per model × dataset × head (null when the run has fewer than two datasets).</summary>
    public static IReadOnlyList<Cell>? Cells(IReadOnlyList<ResultRow> rows)
    {
        var scored = rows.Where(r => r.IsAccuracy && !r.IsDense && r.Primary && r.MetricValue is { } v && double.IsFinite(v)).ToList();
        if (scored.Select(r => r.Dataset).Distinct().Count() < 2) return null;
        return scored.GroupBy(r => (r.Model, r.Dataset, r.Head))
            .Select(g => g.OrderByDescending(r => r.MetricValue).First())
            .Select(r => new Cell(r.Model, r.Dataset, r.Head, r.Metric, r.MetricValue!.Value, r.MetricCiLow, r.MetricCiHigh, r.LayerChoice))
            .ToList();
    }

    public static (string Markdown, string Html) Render(IReadOnlyList<ResultRow> rows)
    {
        if (Cells(rows) is not { } cells) return ("", "");
        var datasets = rows.Where(r => r.Kind == "accuracy").Select(r => r.Dataset).Distinct().Where(d => cells.Any(c => c.Dataset == d)).ToList();
        var metricOf = datasets.ToDictionary(d => d, d => cells.First(c => c.Dataset == d).Metric);
        var md = new StringBuilder();
        var html = new StringBuilder();
        foreach (var head in cells.Select(c => c.Head).Distinct())
        {
            var title = $"Suite: {head} (best layer choice per cell, in %)";
            var headers = new List<string> { "model" };
            headers.AddRange(datasets.Select(d => $"{d} ({DatasetMetrics.Title(metricOf[d])})"));
            headers.Add("average");
            var body = new List<string[]>();
            foreach (var model in cells.Where(c => c.Head == head).Select(c => c.Model).Distinct())
            {
                var line = new List<string> { model };
                var values = new List<double>();
                foreach (var d in datasets)
                {
                    var cell = cells.FirstOrDefault(c => c.Head == head && c.Model == model && c.Dataset == d);
                    if (cell is null) { line.Add(""); continue; }
                    values.Add(cell.Value);
                    line.Add(Pct(cell.Value));
                }
                line.Add(values.Count == datasets.Count ? Pct(values.Average()) : "");
                body.Add(line.ToArray());
            }
            Append(md, html, title, headers, body);

            var layerHeaders = new List<string> { "model" };
            layerHeaders.AddRange(datasets);
            var layers = cells.Where(c => c.Head == head).Select(c => c.Model).Distinct()
                .Select(model => new[] { model }.Concat(datasets.Select(d =>
                    cells.FirstOrDefault(c => c.Head == head && c.Model == model && c.Dataset == d) is { } cell
                        ? $"{cell.LayerChoice} {Pct(cell.Value)} ({Pct(cell.CiLow)}–{Pct(cell.CiHigh)})" : "")).ToArray()).ToList();
            Append(md, html, $"Best layer choice per dataset: {head} (chosen on the test split; 95% bootstrap interval)", layerHeaders, layers);
        }
        return (md.ToString(), html.ToString());
    }

    private static void Append(StringBuilder md, StringBuilder html, string title, List<string> headers, List<string[]> rows)
    {
        md.Append($"\n## {title}\n\n| {string.Join(" | ", headers)} |\n|{string.Concat(headers.Select(_ => "---|"))}\n");
        foreach (var row in rows) md.Append($"| {string.Join(" | ", row.Select(c => c.Replace("|", "\\|")))} |\n");
        html.Append($"<h2>{E(title)}</h2>\n<table><tr>{string.Concat(headers.Select(h => $"<th>{E(h)}</th>"))}</tr>\n");
        foreach (var row in rows) html.Append($"<tr>{string.Concat(row.Select(c => $"<td>{E(c)}</td>"))}</tr>\n");
        html.Append("</table>\n");
    }

    private static string Pct(double? v) => v is { } x && double.IsFinite(x) ? (100 * x).ToString("F2", CultureInfo.InvariantCulture) : "";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
