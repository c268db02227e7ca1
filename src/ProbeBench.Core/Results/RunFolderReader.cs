using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Results;

/// <summary>
/// A run folder as read back: its manifest (null when absent), its rows, and whether it finished. <see cref="Unfinished"/>
/// says why not, as the end of a sentence starting with the folder ("has no COMPLETE marker: …"); null when it finished.
/// </summary>
public sealed record RunFolder(string Name, string Folder, bool Complete, RunManifest? Manifest, IReadOnlyList<ResultRow> Rows, string? Unfinished = null);

/// <summary>Reads one run folder written by <see cref="RunFolderWriter"/> (given as the folder or one of its results files).</summary>
public static class RunFolderReader
{
    /// <summary>Largest manifest.json read (64 MiB): the resolved plan and one short record per work unit.</summary>
    public const long MaxManifestBytes = 64L << 20;

    public static bool LooksLikeRun(string folder) =>
        File.Exists(Path.Combine(folder, RunFolderWriter.ManifestFile)) || File.Exists(Path.Combine(folder, ResultColumns.AccuracyFile))
        || File.Exists(Path.Combine(folder, ResultColumns.SpeedFile)) || File.Exists(Path.Combine(folder, ResultsCsv.LegacyFile));

    public static RunFolder Read(string path)
    {
        var folder = ResultsSource.RunFolder(path);
        var rows = ResultsCsv.Read(folder);
        var manifestPath = Path.Combine(folder, RunFolderWriter.ManifestFile);
        var manifest = FileKinds.Of(manifestPath) == FileKind.Missing ? null : ReadManifest(manifestPath);
        var unfinished = Unfinished(folder);
        return new RunFolder(Path.GetFileName(folder), folder, unfinished is null, manifest, rows, unfinished);
    }

    /// <summary>
    /// Why <paramref name="folder"/> is not a finished run, as the end of a sentence starting with its path; null when it
    /// is. The writer works in <c>&lt;name&gt;.partial</c> beside <see cref="RunFolderWriter.PartialMarker"/>, removes the
    /// marker, writes <see cref="RunFolderWriter.CompleteMarker"/> last and then renames the folder, so a crash at any
    /// point leaves one of these three signs, even on a folder renamed by hand.
    /// </summary>
    public static string? Unfinished(string folder) =>
        Partial(folder) ?? (FileKinds.Of(Path.Combine(folder, RunFolderWriter.CompleteMarker)) != FileKind.Regular
            ? $"has no {RunFolderWriter.CompleteMarker} marker (a run writes it last): its run never finished" : null);

    /// <summary>The signs of a run still being written (a <c>*.partial</c> name, the partial marker), as <see cref="Unfinished"/> words them; null when neither is there.</summary>
    internal static string? Partial(string folder)
    {
        if (Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)).EndsWith(".partial", StringComparison.Ordinal))
            return $"is named *.partial: {StillWritten}";
        if (FileKinds.Of(Path.Combine(folder, RunFolderWriter.PartialMarker)) != FileKind.Missing)
            return $"holds {RunFolderWriter.PartialMarker}: {StillWritten}";
        return null;
    }

    private const string StillWritten = "its run crashed or is still being written";

    /// <summary>
    /// The run <paramref name="path"/> names, read only when it finished (compare and export trust what they read):
    /// otherwise one sentence starting with <paramref name="role"/> ("The baseline") and ending with <paramref name="refusal"/>.
    /// </summary>
    public static RunFolder ReadFinished(string path, string role, string refusal)
    {
        var folder = ResultsSource.RunFolder(path);
        if (Unfinished(folder) is { } why) throw new ProbeBenchException($"{role} {folder} {why}; {refusal}.");
        return Read(folder);
    }

    private static RunManifest ReadManifest(string path)
    {
        var text = InputFiles.ReadSmallText(path, "The manifest", MaxManifestBytes);
        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(text);
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"The manifest {path} is not valid ProbeBench JSON ({e.Message}).", inner: e);
        }
        if ((manifest is null ? "it holds null" : RunManifestCheck.Problem(manifest)) is { } problem)
            throw new ProbeBenchException($"The manifest {path} is not valid ProbeBench JSON ({problem}).");
        return manifest!;
    }
}
