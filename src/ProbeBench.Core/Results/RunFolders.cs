using System.Text.Json;

namespace ProbeBench.Core.Results;

/// <summary>A finished run folder as listed.</summary>
public sealed record RunSummary(string Name, string Folder, RunManifest? Manifest, int Rows, IReadOnlyList<string> Models, IReadOnlyList<string> Datasets, double? BestTop1);

/// <summary>Finds finished runs (folders with a manifest and results; unfinished <c>.partial</c> ones are skipped).</summary>
public static class RunFolders
{
    public static IReadOnlyList<RunSummary> List(string root)
    {
        if (!Directory.Exists(root)) return [];
        var runs = new List<RunSummary>();
        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)).Order())
        {
            var csv = Path.Combine(folder, RunFolderWriter.ResultsFile);
            if (!File.Exists(csv)) continue;
            RunManifest? manifest = null;
            try { manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(folder, RunFolderWriter.ManifestFile))); }
            catch (Exception e) when (e is JsonException or IOException) { }
            var rows = ResultsCsv.Read(csv);
            runs.Add(new RunSummary(Path.GetFileName(folder), folder, manifest, rows.Count,
                rows.Select(r => r.Model).Distinct().ToList(), rows.Select(r => r.Dataset).Where(d => d != "").Distinct().ToList(),
                rows.Where(r => r.Top1 is not null).Select(r => r.Top1).Max()));
        }
        return runs;
    }
}
