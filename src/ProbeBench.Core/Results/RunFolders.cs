namespace ProbeBench.Core.Results;

/// <summary>A run as listed. <see cref="Problem"/> says why a folder could not be read (then the counts are empty).</summary>
public sealed record RunSummary(string Name, string Folder, bool Complete, RunManifest? Manifest, int Rows, IReadOnlyList<string> Models,
    IReadOnlyList<string> Datasets, double? BestTop1, string? Problem = null, IReadOnlyList<LayerVerdict>? Verdicts = null);

/// <summary>
/// Finds the runs under a results root: folders holding a manifest or results files. Unfinished <c>.partial</c> folders are skipped;
/// folders that did not finish (<see cref="RunFolderReader.Unfinished"/>) are listed as such; unreadable ones are listed with their problem.
/// </summary>
public static class RunFolders
{
    public static IReadOnlyList<RunSummary> List(string root)
    {
        if (!Directory.Exists(root)) return [];
        var runs = new List<RunSummary>();
        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!RunFolderReader.LooksLikeRun(folder)) continue;
            try
            {
                var run = RunFolderReader.Read(folder);
                runs.Add(new RunSummary(run.Name, folder, run.Complete, run.Manifest, run.Rows.Count,
                    run.Rows.Select(r => r.ModelLabel).Distinct().ToList(), run.Rows.Select(r => r.DatasetLabel).Where(d => d != "").Distinct().ToList(),
                    run.Rows.Where(r => r.IsAccuracy && r.Top1 is not null).Select(r => r.Top1).Max(), Verdicts: LayerVerdict.Of(run.Rows, bootstrapSamples: 500)));
            }
            catch (ProbeBenchException e)
            {
                runs.Add(new RunSummary(Path.GetFileName(folder), folder, false, null, 0, [], [], null, e.Message));
            }
        }
        return runs;
    }
}
