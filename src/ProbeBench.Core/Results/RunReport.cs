using System.Globalization;
using System.Net;
using System.Text;

namespace ProbeBench.Core.Results;

/// <summary>The run's tables and figures as <c>report.md</c> and <c>report.html</c>.</summary>
public static class RunReport
{
    private sealed record Table(string Title, string[] Headers, List<string[]> Rows);

    public static (string Markdown, string Html) Render(RunManifest manifest, IReadOnlyList<ResultRow> rows, IReadOnlyList<(string Name, string Title)> figures)
    {
        var tables = Tables(rows);
        var env = manifest.Environment;
        var facts = new List<(string, string)>
        {
            ("started", manifest.StartedUtc.ToString("u", CultureInfo.InvariantCulture)),
            ("finished", manifest.FinishedUtc.ToString("u", CultureInfo.InvariantCulture)),
            ("ProbeBench", $"{env.ProbeBenchVersion}{(env.GitCommit is null ? "" : $" ({env.GitCommit[..Math.Min(12, env.GitCommit.Length)]})")}"),
            ("machine", $"{env.Cpu} × {env.CpuCount}{(env.Gpu is null ? "" : $", {env.Gpu} (driver {env.GpuDriver})")}"),
            ("software", $"{env.Os}; {env.Dotnet}; TorchSharp {env.TorchSharpVersion}; libtorch {(env.ExternalLibTorch ? "external" : "bundled")}"),
        };
        facts.AddRange(manifest.CheckpointSha256.Select(kv => ($"checkpoint {kv.Key}", $"sha256 {kv.Value}")));

        var md = new StringBuilder($"# ProbeBench run {manifest.RunName}\n\n");
        foreach (var (k, v) in facts) md.Append($"- **{k}**: {v}\n");
        foreach (var note in manifest.Notes) md.Append($"- {note}\n");
        var (suiteMarkdown, suiteHtml) = SuiteTable.Render(rows);
        md.Append(suiteMarkdown);
        foreach (var table in tables)
        {
            md.Append($"\n## {table.Title}\n\n| {string.Join(" | ", table.Headers)} |\n|{string.Concat(table.Headers.Select(_ => "---|"))}\n");
            foreach (var row in table.Rows) md.Append($"| {string.Join(" | ", row.Select(c => c.Replace("|", "\\|")))} |\n");
        }
        if (figures.Count > 0) md.Append("\n## Figures\n");
        foreach (var (name, title) in figures) md.Append($"\n### {title}\n\n![{title}]({name}.png)\n");

        var html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ProbeBench run ")
            .Append(E(manifest.RunName))
            .Append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}" +
                    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>\n")
            .Append($"<h1>ProbeBench run {E(manifest.RunName)}</h1>\n<ul>");
        foreach (var (k, v) in facts) html.Append($"<li><b>{E(k)}</b>: {E(v)}</li>");
        foreach (var note in manifest.Notes) html.Append($"<li>{E(note)}</li>");
        html.Append("</ul>\n").Append(suiteHtml);
        foreach (var table in tables)
        {
            html.Append($"<h2>{E(table.Title)}</h2>\n<table><tr>{string.Concat(table.Headers.Select(h => $"<th>{E(h)}</th>"))}</tr>\n");
            foreach (var row in table.Rows) html.Append($"<tr>{string.Concat(row.Select(c => $"<td>{E(c)}</td>"))}</tr>\n");
            html.Append("</table>\n");
        }
        foreach (var (name, title) in figures) html.Append($"<h3>{E(title)}</h3>\n<img src=\"{E(name)}.svg\" alt=\"{E(title)}\">\n");
        html.Append("</body></html>\n");
        return (md.ToString(), html.ToString());
    }

    private static List<Table> Tables(IReadOnlyList<ResultRow> rows)
    {
        var tables = new List<Table>();
        var accuracy = rows.Where(r => r.Kind == "accuracy").ToList();
        if (accuracy.Count > 0)
            tables.Add(new Table("Accuracy",
                ["model", "dataset", "layer choice", "head", "hyper-parameter", "top-1 % (95% CI)", "top-5 %", "balanced %", "log-loss", "train s", "samples/s"],
                accuracy.Select(r => new[]
                {
                    r.Model, r.Dataset, r.LayerChoice, r.Head, r.HyperParameter,
                    r.Top1 is { } t ? $"{100 * t:F2} ({100 * r.Top1CiLow:F2}–{100 * r.Top1CiHigh:F2})" : "",
                    Pct(r.Top5), Pct(r.BalancedAccuracy), F(r.LogLoss, "F4"), F(r.HeadTrainSeconds, "F2"), F(r.HeadSamplesPerSecond, "N0"),
                }).ToList()));
        var extraction = rows.Where(r => r.Kind == "extraction").ToList();
        if (extraction.Count > 0)
            tables.Add(new Table("Extraction",
                ["model", "dataset", "split", "images", "end-to-end img/s", "backbone img/s", "batch p50 / p95 / p99 ms", "batch-1 ms", "batch", "precision", "device"],
                extraction.Select(r => new[]
                {
                    r.Model, r.Dataset, r.HyperParameter, F(r.TestRows, "N0"), F(r.ImagesPerSecond, "N1"), F(r.BackboneImagesPerSecond, "N1"),
                    $"{F(r.LatencyP50Ms, "N1")} / {F(r.LatencyP95Ms, "N1")} / {F(r.LatencyP99Ms, "N1")}", F(r.Batch1LatencyMs, "N2"),
                    F(r.BatchSize, "N0"), r.Precision, r.Device,
                }).ToList()));
        var speed = rows.Where(r => r.Kind == "speed").ToList();
        if (speed.Count > 0)
            tables.Add(new Table("Backbone speed",
                ["model", "precision", "resolution", "batch", "img/s (median)", "min–max", "repeats", "batch-1 p50 ms", "device"],
                speed.Select(r => new[]
                {
                    r.Model, r.Precision, F(r.Resolution, "N0"), F(r.BatchSize, "N0"), F(r.ImagesPerSecond, "N1"),
                    $"{F(r.ImagesPerSecondMin, "N1")}–{F(r.ImagesPerSecondMax, "N1")}", F(r.Repeats, "N0"), F(r.Batch1LatencyMs, "N2"), r.Device,
                }).ToList()));
        return tables;
    }

    private static string Pct(double? v) => v is { } x ? (100 * x).ToString("F2", CultureInfo.InvariantCulture) : "";

    private static string F(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string F(int? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
