using System.Text.Json;

namespace ProbeBench.Core.Results;

/// <summary>A run folder as read back: its manifest (null when absent), its rows, and whether its completion marker is there.</summary>
public sealed record RunFolder(string Name, string Folder, bool Complete, RunManifest? Manifest, IReadOnlyList<ResultRow> Rows);

/// <summary>Reads one run folder written by <see cref="RunFolderWriter"/> (given as the folder or one of its results files).</summary>
public static class RunFolderReader
{
    public static bool LooksLikeRun(string folder) =>
        File.Exists(Path.Combine(folder, RunFolderWriter.ManifestFile)) || File.Exists(Path.Combine(folder, ResultColumns.AccuracyFile))
        || File.Exists(Path.Combine(folder, ResultColumns.SpeedFile)) || File.Exists(Path.Combine(folder, ResultsCsv.LegacyFile));

    public static RunFolder Read(string path)
    {
        var folder = ResultsSource.RunFolder(path);
        var rows = ResultsCsv.Read(folder);
        var manifestPath = Path.Combine(folder, RunFolderWriter.ManifestFile);
        RunManifest? manifest = null;
        if (File.Exists(manifestPath))
        {
            try { manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(manifestPath)); }
            catch (JsonException e)
            {
                throw new ProbeBenchException($"The manifest {manifestPath} is not valid ProbeBench JSON: {e.Message}", inner: e);
            }
        }
        return new RunFolder(Path.GetFileName(folder), folder, File.Exists(Path.Combine(folder, RunFolderWriter.CompleteMarker)), manifest, rows);
    }
}
