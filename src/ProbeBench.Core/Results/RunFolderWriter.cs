using System.Text;
using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Results;

/// <summary>
/// Writes a run folder: <c>manifest.json</c>, <c>accuracy.csv</c>, <c>speed.csv</c>, <c>predictions.jsonl</c>, figures,
/// <c>report.md</c> and <c>report.html</c>.
/// <see cref="Begin"/> claims <c>&lt;name&gt;.partial/</c> before any work (so a name collision is found first) and the
/// run's work units keep their records in it; <see cref="RunFolderDraft.Complete"/> writes the rest and renames the folder,
/// so a folder without that suffix is always complete. The last file written is the completion marker
/// <see cref="CompleteMarker"/>, so even a folder renamed by hand shows whether it finished.
/// </summary>
public sealed class RunFolderWriter(string resultsRoot, Func<string, Stream>? openFile = null)
{
    public const string ManifestFile = "manifest.json";
    public const string CompleteMarker = "COMPLETE";

    /// <summary>Marks a <c>.partial</c> folder as ProbeBench's own: only such a folder is ever replaced.</summary>
    public const string PartialMarker = ".probebench-partial";

    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly Func<string, Stream> _openFile = openFile ?? (path => new FileStream(path, FileMode.CreateNew, FileAccess.Write));

    public string ResultsRoot { get; } = Path.GetFullPath(resultsRoot);

    /// <summary>
    /// Claims the run folder: an error when <paramref name="runName"/> is not one plain path segment or the run already
    /// exists; a stale <c>.partial</c> folder is replaced only when ProbeBench made it.
    /// </summary>
    public RunFolderDraft Begin(string runName, bool overwrite = false)
    {
        CheckName(runName);
        var final = Path.Combine(ResultsRoot, runName);
        var partial = final + ".partial";
        // Everything that would stop the final rename is found here, before any work.
        switch (FileKinds.Of(final, followLinks: false))
        {
            case FileKind.Missing:
                break;
            case FileKind.Directory when !overwrite:
                throw new ProbeBenchException($"The run folder {final} already exists; choose another run name (--name) or pass --overwrite.");
            case FileKind.Directory when !IsRunFolder(final):
                throw new ProbeBenchException($"{final} is not a ProbeBench run folder (no {ManifestFile} or {CompleteMarker}); --overwrite replaces only run folders, so it was left as it is.");
            case FileKind.Directory:
                break;
            default:
                throw new ProbeBenchException($"{final} exists and is not a run folder (a file or link); ProbeBench leaves it as it is: choose another run name (--name).");
        }
        if (FileKinds.Of(partial, followLinks: false) is not (FileKind.Missing or FileKind.Directory))
            throw new ProbeBenchException($"{partial} exists and was not made by ProbeBench (a file or link); move it away or choose another run name.");
        try
        {
            Directory.CreateDirectory(ResultsRoot);
            if (Directory.Exists(partial))
            {
                if (!File.Exists(Path.Combine(partial, PartialMarker)))
                    throw new ProbeBenchException($"{partial} exists and was not made by ProbeBench; move it away or choose another run name.");
                Directory.Delete(partial, recursive: true);
            }
            Directory.CreateDirectory(partial);
            File.WriteAllText(Path.Combine(partial, PartialMarker), "a ProbeBench run being written\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Cannot write results under {ResultsRoot}: {e.Message}", inner: e);
        }
        return new RunFolderDraft(this, final, partial, overwrite);
    }

    /// <summary>Begins and completes a run folder in one go (for results that need no work units).</summary>
    public string Write(RunManifest manifest, IReadOnlyList<ResultRow> rows) => Begin(manifest.RunName).Complete(manifest, rows);

    /// <summary>A run name is one folder name: no separators, not . or .., no control characters.</summary>
    public static void CheckName(string runName)
    {
        if (string.IsNullOrWhiteSpace(runName) || runName is "." or ".." || runName.Length > 200
            || runName.IndexOfAny(['/', '\\']) >= 0 || runName.Any(char.IsControl) || runName.EndsWith(".partial", StringComparison.Ordinal))
            throw new ProbeBenchException($"Run name '{runName}' must be one folder name (no '/', '\\', '..' or control characters, not ending in .partial, at most 200 characters).");
    }

    /// <summary>A folder ProbeBench completed (or at least wrote results into): the only kind --overwrite replaces.</summary>
    internal static bool IsRunFolder(string folder) =>
        File.Exists(Path.Combine(folder, ManifestFile)) || File.Exists(Path.Combine(folder, CompleteMarker));

    internal void WriteText(string path, string text)
    {
        using var stream = _openFile(path);
        var bytes = new UTF8Encoding(false).GetBytes(text);
        stream.Write(bytes);
    }

    internal Stream Open(string path) => _openFile(path);
}

/// <summary>A run folder being written (<c>&lt;name&gt;.partial</c>): work units record into <see cref="UnitsFolder"/>.</summary>
public sealed class RunFolderDraft
{
    private readonly RunFolderWriter _writer;
    private readonly string _final;
    private readonly bool _overwrite;

    internal RunFolderDraft(RunFolderWriter writer, string final, string folder, bool overwrite)
    {
        _writer = writer;
        _final = final;
        Folder = folder;
        _overwrite = overwrite;
    }

    /// <summary>The <c>.partial</c> folder.</summary>
    public string Folder { get; }

    /// <summary>Where the run's work units write their records (kept in the finished folder as provenance).</summary>
    public string UnitsFolder => Path.Combine(Folder, "units");

    /// <summary>Writes the results, report and figures, then renames the folder to its final name; returns that path.</summary>
    public string Complete(RunManifest manifest, IReadOnlyList<ResultRow> rows)
    {
        var current = Folder;
        try
        {
            current = Path.Combine(Folder, RunFolderWriter.ManifestFile);
            _writer.WriteText(current, JsonSerializer.Serialize(manifest, RunFolderWriter.JsonOptions));
            current = Path.Combine(Folder, ResultColumns.AccuracyFile);
            ResultsCsv.Write(Folder, rows, path => _writer.Open(current = path));
            current = Path.Combine(Folder, "figures");
            var figures = RunFigures.Write(Folder, rows);
            var (markdown, html) = RunReport.Render(manifest, rows, figures);
            current = Path.Combine(Folder, "report.md");
            _writer.WriteText(current, markdown);
            current = Path.Combine(Folder, "report.html");
            _writer.WriteText(current, html);
            File.Delete(Path.Combine(Folder, RunFolderWriter.PartialMarker));
            current = Path.Combine(Folder, RunFolderWriter.CompleteMarker);
            _writer.WriteText(current, $"{rows.Count} rows, finished {manifest.FinishedUtc:O}\n");
            if (_overwrite && Directory.Exists(_final)) Replace();
            else Directory.Move(Folder, _final);
            return _final;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon();
            throw new ProbeBenchException($"Writing {current} failed ({e.Message}); no results folder was left behind.", inner: e);
        }
    }

    /// <summary>Removes the <c>.partial</c> folder (ProbeBench's own) after a failure.</summary>
    public void Abandon()
    {
        try { if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // --overwrite: the old run is replaced only once the new one is complete, and only if it is a ProbeBench run folder.
    private void Replace()
    {
        if (!File.Exists(Path.Combine(_final, RunFolderWriter.ManifestFile)) || !File.Exists(Path.Combine(_final, RunFolderWriter.CompleteMarker)))
            throw new ProbeBenchException($"{_final} is not a complete ProbeBench run folder (no {RunFolderWriter.ManifestFile} and {RunFolderWriter.CompleteMarker}); it was left as it is and the new run is in {Folder}.");
        if (!RunFolderWriter.IsRunFolder(_final))
            throw new ProbeBenchException($"{_final} is not a ProbeBench run folder (no {RunFolderWriter.ManifestFile}); it was left as it is and the new run is in {Folder}.");
        var old = $"{_final}.replaced-{Guid.NewGuid():N}";
        Directory.Move(_final, old);
        try
        {
            Directory.Move(Folder, _final);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The new run stays complete where it is, and the previous one goes back where it was (or is named where it went).
            var previous = $"the previous run is back in {_final}";
            try
            {
                Directory.Move(old, _final);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                previous = $"the previous run is in {old} ({again.Message})";
            }
            throw new ProbeBenchException($"The new run is complete in {Folder} but could not be moved to {_final} ({e.Message}); {previous}.", inner: e);
        }
        try
        {
            // First its COMPLETE marker, so that whatever a failed delete leaves never reads as a finished run.
            File.Delete(Path.Combine(old, RunFolderWriter.CompleteMarker));
            Directory.Delete(old, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"The new run is complete in {_final}, but the run it replaced, moved aside to {old}, could not be removed ({e.Message}); remove that folder by hand.", inner: e);
        }
    }
}
