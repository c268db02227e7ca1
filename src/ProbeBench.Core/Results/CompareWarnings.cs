namespace ProbeBench.Core.Results;

/// <summary>What makes two runs hard to compare, one line each: the rows still match, but a reader should know.</summary>
public static class CompareWarnings
{
    public static IReadOnlyList<string> Of(RunFolder baseline, RunFolder candidate)
    {
        var warnings = new List<string>();
        void Differ(string what, string? b, string? c)
        {
            if (b is not null && c is not null && b != c) warnings.Add($"{what} differ: baseline {b}, candidate {c}.");
        }
        string? Setting(RunFolder run, string key) =>
            run.Manifest?.Config is System.Text.Json.Nodes.JsonObject o && o.TryGetPropertyValue(key, out var v) ? v?.ToJsonString() ?? "null" : null;

        Differ("Seeds", Setting(baseline, "Seed"), Setting(candidate, "Seed"));
        Differ("Training subsets (limitTrain)", Setting(baseline, "LimitTrain"), Setting(candidate, "LimitTrain"));
        Differ("Test subsets (limitTest)", Setting(baseline, "LimitTest"), Setting(candidate, "LimitTest"));
        Differ("Recipes", Distinct(baseline, r => r.Recipe), Distinct(candidate, r => r.Recipe));
        Differ("ProbeBench versions", baseline.Manifest?.Environment.ProbeBenchVersion, candidate.Manifest?.Environment.ProbeBenchVersion);
        var speedB = baseline.Rows.FirstOrDefault(r => r.IsSpeed && !r.FromCache);
        var speedC = candidate.Rows.FirstOrDefault(r => r.IsSpeed && !r.FromCache);
        if (speedB is not null && speedC is not null)
        {
            Differ("Machines (CPU)", speedB.Cpu, speedC.Cpu);
            Differ("Machines (threads)", speedB.Threads?.ToString(), speedC.Threads?.ToString());
            Differ("Machines (GPU)", speedB.Gpu ?? "none", speedC.Gpu ?? "none");
            if (speedC.LoadAverage is { } load && speedC.Threads is { } threads && load > threads)
                warnings.Add($"The candidate's machine was busy when it measured (load average {load:F1} on {threads} threads): its speed rows are noisy.");
        }
        return warnings;
    }

    private static string? Distinct(RunFolder run, Func<ResultRow, string> value)
    {
        var values = run.Rows.Select(value).Where(v => v.Length > 0).Distinct().Order().ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
