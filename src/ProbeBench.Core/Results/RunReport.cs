using System.Globalization;
using System.Net;
using System.Text;

namespace ProbeBench.Core.Results;

/// <summary>The run as <c>report.md</c> and <c>report.html</c>: the layer verdict first, then facts, tables and figures.</summary>
public static class RunReport
{
    public static (string Markdown, string Html) Render(RunManifest manifest, IReadOnlyList<ResultRow> rows, IReadOnlyList<(string Name, string Title)> figures)
    {
        var tables = ResultTables.All(rows);
        var facts = Facts(manifest);
        var md = new StringBuilder($"# ProbeBench run {manifest.RunName}\n\n");
        var verdict = tables.FirstOrDefault(t => t.Title == "Which layer is best?");
        if (verdict is not null) md.Append(ResultTables.Markdown(verdict)).Append($"\n{ResultTables.SelectionNote}\n\n");
        md.Append("## Run\n\n");
        foreach (var (k, v) in facts) md.Append($"- **{k}**: {v}\n");
        foreach (var note in manifest.Notes) md.Append($"- {note}\n");
        var (suiteMarkdown, suiteHtml) = SuiteTable.Render(rows);
        md.Append(suiteMarkdown);
        foreach (var table in tables.Where(t => t != verdict)) md.Append('\n').Append(ResultTables.Markdown(table));
        var (denseMarkdown, denseHtml) = DenseTable.Render(rows);
        md.Append(denseMarkdown);
        if (figures.Count > 0) md.Append("\n## Figures\n");
        foreach (var (name, title) in figures) md.Append($"\n### {title}\n\n![{title}]({name}.png)\n");
        return (md.ToString(), Html(manifest, tables, verdict, facts, figures, suiteHtml + denseHtml));
    }

    private static List<(string, string)> Facts(RunManifest manifest)
    {
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
        return facts;
    }

    private static string Html(RunManifest manifest, IReadOnlyList<TextTable> tables, TextTable? verdict, List<(string, string)> facts,
        IReadOnlyList<(string Name, string Title)> figures, string suiteHtml)
    {
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ProbeBench run ")
            .Append(E(manifest.RunName))
            .Append("</title><style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}" +
                    "table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}" +
                    "td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3;cursor:pointer;user-select:none}" +
                    "th:after{content:' \\2195';color:#aaa}.verdict{background:#f6fbf6;border:1px solid #9c9;padding:0.5em 1em;border-radius:6px}" +
                    ".note{color:#555;font-size:13px}img{max-width:100%}</style></head><body>\n")
            .Append($"<h1>ProbeBench run {E(manifest.RunName)}</h1>\n");
        if (verdict is not null)
            html.Append("<section class=\"verdict\">").Append(Table(verdict, sortable: false)).Append($"<p class=\"note\">{E(ResultTables.SelectionNote)}</p></section>\n");
        html.Append("<h2>Run</h2>\n<ul>");
        foreach (var (k, v) in facts) html.Append($"<li><b>{E(k)}</b>: {E(v)}</li>");
        foreach (var note in manifest.Notes) html.Append($"<li>{E(note)}</li>");
        html.Append("</ul>\n").Append(suiteHtml);
        foreach (var table in tables.Where(t => t != verdict)) html.Append(Table(table, sortable: true));
        foreach (var (name, title) in figures) html.Append($"<h3>{E(title)}</h3>\n<img src=\"{E(name)}.svg\" alt=\"{E(title)}\">\n");
        html.Append(SortScript).Append("</body></html>\n");
        return html.ToString();
    }

    private static string Table(TextTable table, bool sortable)
    {
        var html = new StringBuilder($"<h2>{E(table.Title)}</h2>\n<table{(sortable ? " class=\"sortable\"" : "")}><thead><tr>");
        foreach (var h in table.Headers) html.Append($"<th>{E(h)}</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++) html.Append(table.Numeric[i] ? $"<td class=\"n\">{E(row[i])}</td>" : $"<td>{E(row[i])}</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</tbody></table>\n").ToString();
    }

    // Click a header to sort by it (numbers as numbers, blanks last); click again to reverse.
    private const string SortScript = """
        <script>
        document.querySelectorAll('table.sortable th').forEach((th, col) => th.addEventListener('click', () => {
          const body = th.closest('table').tBodies[0];
          const up = th.dataset.dir !== 'asc'; th.dataset.dir = up ? 'asc' : 'desc';
          const key = tr => { const t = tr.cells[col].textContent.trim(); const n = parseFloat(t.replace(/,/g, '')); return t === '' ? null : isNaN(n) ? t : n; };
          [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
            if (x === null) return 1; if (y === null) return -1;
            const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
            return up ? c : -c; }).forEach(r => body.appendChild(r));
        }));
        </script>

        """;

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
