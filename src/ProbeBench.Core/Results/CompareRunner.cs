namespace ProbeBench.Core.Results;

/// <summary>
/// What <c>probebench compare</c> compares: two run folders or results.csv files; or two BenchmarkDotNet report
/// files, or folders of them (reports matched by file name).
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
            throw new ProbeBenchException($"{candidate} holds no BenchmarkDotNet *-report.csv to compare with {baseline}.");

        var changes = new List<Change>();
        var missing = new List<string>();
        var added = new List<string>();
        foreach (var (name, path) in baseReports)
        {
            if (!candidateReports.TryGetValue(name, out var other))
            {
                missing.Add(name);
                continue;
            }
            var comparison = BenchmarkDotNetReport.Compare(BenchmarkDotNetReport.Read(path), BenchmarkDotNetReport.Read(other), options);
            changes.AddRange(comparison.Changes);
            missing.AddRange(comparison.MissingInCandidate);
            added.AddRange(comparison.NewInCandidate);
        }
        added.AddRange(candidateReports.Keys.Where(k => !baseReports.ContainsKey(k)));
        return new Comparison(changes, missing, added);
    }
}
