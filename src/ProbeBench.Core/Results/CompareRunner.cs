namespace ProbeBench.Core.Results;

/// <summary>
/// What <c>probebench compare</c> compares: two run folders (or files inside them); or two BenchmarkDotNet report files
/// (CSV or JSON exports), or folders of them (reports matched by benchmark class). For run folders it also reads both
/// manifests and warns, one line each, about what makes the runs hard to compare.
/// </summary>
public static class CompareRunner
{
    public static Comparison Compare(string baseline, string candidate, CompareOptions options)
    {
        var baseReports = ResultsSource.BenchmarkReports(baseline);
        var candidateReports = ResultsSource.BenchmarkReports(candidate);
        if (baseReports.Count == 0 || IsRun(baseline))
        {
            var b = Side(baseline, "The baseline");
            var c = Side(candidate, "The candidate");
            return ResultsComparer.Compare(b.Rows, c.Rows, options, CompareWarnings.Of(b, c));
        }
        if (candidateReports.Count == 0)
            throw new ProbeBenchException($"{candidate} holds no BenchmarkDotNet *-report.csv or *-report*.json to compare with {baseline}.");

        var changes = new List<Change>();
        foreach (var (name, files) in baseReports)
        {
            if (!candidateReports.TryGetValue(name, out var other))
            {
                changes.Add(new Change(name, "benchmark class", null, null, "", "the candidate has no report for it", Verdict.Missing));
                continue;
            }
            if (BenchmarkReportFiles.Pick(files, other) is not var (basePath, candidatePath))
                throw new ProbeBenchException($"The BenchmarkDotNet reports for {name} cannot be compared: the baseline has {Formats(files)}, the candidate {Formats(other)}.");
            changes.AddRange(BenchmarkDotNetReport.Compare(BenchmarkDotNetReport.Read(basePath), BenchmarkDotNetReport.Read(candidatePath), options));
        }
        changes.AddRange(candidateReports.Keys.Where(k => !baseReports.ContainsKey(k))
            .Select(k => new Change(k, "benchmark class", null, null, "", "only the candidate has it", Verdict.New)));
        return new Comparison(changes, [], options);
    }

    // A side must be a finished run with rows: with none, every row of the other side would be "new" and the gate would pass
    // a run it read nothing of. One file may be header-only: a bench run has no accuracy rows.
    private static RunFolder Side(string path, string role)
    {
        var run = RunFolderReader.ReadFinished(path, role, "compare reads only finished runs");
        if (run.Rows.Count == 0)
            throw new ProbeBenchException($"{role}'s {Path.Combine(run.Folder, ResultColumns.AccuracyFile)} and {ResultColumns.SpeedFile} hold no result rows (headers only, or missing); there is nothing of it to compare.");
        return run;
    }

    private static bool IsRun(string path) =>
        (Directory.Exists(path) && RunFolderReader.LooksLikeRun(path)) || (File.Exists(path) && !BenchmarkDotNetReport.IsReport(path));

    private static string Formats(BenchmarkReportFiles files) => files.Json is null ? "only CSV" : "only JSON";
}
