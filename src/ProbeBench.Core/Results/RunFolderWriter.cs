using System.Text;
using System.Text.Json;

namespace ProbeBench.Core.Results;

/// <summary>
/// Writes a run folder: <c>manifest.json</c>, <c>results.csv</c>, figures, <c>report.md</c> and <c>report.html</c>.
/// Everything goes into <c>&lt;name&gt;.partial/</c> first and the folder is renamed when all is written, so a
/// folder without that suffix is always complete; a failed write removes the partial folder. The last file written
/// is the completion marker <see cref="CompleteMarker"/>, so even a folder renamed by hand shows whether it finished.
/// </summary>
public sealed class RunFolderWriter(string resultsRoot, Func<string, Stream>? openFile = null)
{
    public const string ManifestFile = "manifest.json";
    public const string ResultsFile = "results.csv";
    public const string CompleteMarker = "COMPLETE";
    private readonly Func<string, Stream> _openFile = openFile ?? (path => new FileStream(path, FileMode.CreateNew, FileAccess.Write));

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string Write(RunManifest manifest, IReadOnlyList<ResultRow> rows, IReadOnlyList<double> batchLatenciesMs)
    {
        var final = Path.Combine(resultsRoot, manifest.RunName);
        var partial = final + ".partial";
        if (Directory.Exists(final)) throw new ProbeBenchException($"The run folder {final} already exists; choose another run name.");
        try
        {
            Directory.CreateDirectory(resultsRoot);
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            Directory.CreateDirectory(partial);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Cannot write results under {resultsRoot}: {e.Message}", inner: e);
        }

        var current = partial;
        try
        {
            current = Path.Combine(partial, ManifestFile);
            WriteText(current, JsonSerializer.Serialize(manifest, JsonOptions));
            current = Path.Combine(partial, ResultsFile);
            using (var stream = _openFile(current))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
                ResultsCsv.Write(writer, rows);
            current = Path.Combine(partial, "figures");
            var figures = RunFigures.Write(partial, rows, batchLatenciesMs);
            var (markdown, html) = RunReport.Render(manifest, rows, figures);
            current = Path.Combine(partial, "report.md");
            WriteText(current, markdown);
            current = Path.Combine(partial, "report.html");
            WriteText(current, html);
            current = Path.Combine(partial, CompleteMarker);
            WriteText(current, $"{rows.Count} rows, finished {manifest.FinishedUtc:O}\n");
            Directory.Move(partial, final);
            return final;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new ProbeBenchException($"Writing {current} failed ({e.Message}); no results folder was left behind.", inner: e);
        }
    }

    private void WriteText(string path, string text)
    {
        using var stream = _openFile(path);
        var bytes = new UTF8Encoding(false).GetBytes(text);
        stream.Write(bytes);
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
