namespace ProbeBench.Core.Results;

/// <summary>
/// What <c>probebench compare</c> compares: two run folders or results.csv files; or two BenchmarkDotNet report
/// files (CSV or JSON exports), or folders of them (reports matched by benchmark class).
/// </summary>
public static class CompareRunner
{
    public static Comparison Compare(string baseline, string candidate, CompareOptions options)
    {
        var baseReports = ResultsSource.BenchmarkReports(baseline);
        var candidateReports = ResultsSource.BenchmarkReports(candidate);
        var isResults = (Directory.Exists(baseline) && File.Exists(Path.Combine(baseline, RunFolderWriter.ResultsFile)))
                        || (File.Exists(baseline) && !BenchmarkDotNetReport.IsReport(baseline));
        if (isResults || baseReports.Count == 0)
            return ResultsComparer.Compare(ResultsCsv.Read(ResultsSource.ResultsCsvPath(baseline)), ResultsCsv.Read(ResultsSource.ResultsCsvPath(candidate)), options);
        if (candidateReports.Count == 0)
            throw new ProbeBenchException($"{candidate} holds no BenchmarkDotNet *-report.csv or *-report*.json to compare with {baseline}.");

        var changes = new List<Change>();
        var missing = new List<string>();
        var added = new List<string>();
        foreach (var (name, files) in baseReports)
        {
            if (!candidateReports.TryGetValue(name, out var other))
            {
                missing.Add(name);
                continue;
            }
            if (BenchmarkReportFiles.Pick(files, other) is not var (basePath, candidatePath))
                throw new ProbeBenchException($"The BenchmarkDotNet reports for {name} cannot be compared: the baseline has {Formats(files)}, the candidate {Formats(other)}.");
            var comparison = BenchmarkDotNetReport.Compare(BenchmarkDotNetReport.Read(basePath), BenchmarkDotNetReport.Read(candidatePath), options);
            changes.AddRange(comparison.Changes);
            missing.AddRange(comparison.MissingInCandidate);
            added.AddRange(comparison.NewInCandidate);
        }
        added.AddRange(candidateReports.Keys.Where(k => !baseReports.ContainsKey(k)));
        return new Comparison(changes, missing, added);
    }

    private static string Formats(BenchmarkReportFiles files) => files.Json is null ? "only CSV" : "only JSON";
}
