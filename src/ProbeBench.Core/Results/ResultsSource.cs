namespace ProbeBench.Core.Results;

/// <summary>Resolves what <c>probebench compare</c> and <c>results show</c> are given: a run folder or a results.csv.</summary>
public static class ResultsSource
{
    /// <summary>The results.csv of a run folder, or the file itself.</summary>
    public static string ResultsCsvPath(string path)
    {
        if (Directory.Exists(path))
        {
            var csv = Path.Combine(path, RunFolderWriter.ResultsFile);
            if (File.Exists(csv)) return csv;
            if (Directory.Exists(path + ".partial") || path.EndsWith(".partial", StringComparison.Ordinal))
                throw new ProbeBenchException($"{path} is an unfinished run folder (no {RunFolderWriter.ResultsFile}).");
            throw new ProbeBenchException($"{path} holds no {RunFolderWriter.ResultsFile}; give a run folder or a results.csv.");
        }
        if (File.Exists(path)) return path;
        throw new ProbeBenchException($"{path} does not exist.");
    }

    /// <summary>
    /// The BenchmarkDotNet reports of a folder (searched recursively, e.g. results/benchmarks/) or the one file given,
    /// by benchmark class name, with the CSV and JSON export of each where present.
    /// </summary>
    public static IReadOnlyDictionary<string, BenchmarkReportFiles> BenchmarkReports(string path)
    {
        IEnumerable<string> files = File.Exists(path) ? [path]
            : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*-report*", SearchOption.AllDirectories)
            : [];
        var reports = new Dictionary<string, BenchmarkReportFiles>();
        // Ordinal order puts -report-full-compressed.json after the other JSON exports, so the full one wins.
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (BenchmarkDotNetReport.ReportName(file) is not { } name) continue;
            var known = reports.GetValueOrDefault(name) ?? new BenchmarkReportFiles(null, null);
            reports[name] = BenchmarkDotNetReport.IsJsonReport(file) ? known with { Json = file } : known with { Csv = file };
        }
        return reports;
    }
}

/// <summary>The exports of one BenchmarkDotNet class: <c>*-report.csv</c> and/or a JSON report.</summary>
public sealed record BenchmarkReportFiles(string? Csv, string? Json)
{
    /// <summary>The pair to compare: JSON when both sides have it (exact nanoseconds), else CSV, else null.</summary>
    public static (string Baseline, string Candidate)? Pick(BenchmarkReportFiles baseline, BenchmarkReportFiles candidate) =>
        baseline.Json is { } bj && candidate.Json is { } cj ? (bj, cj)
        : baseline.Csv is { } bc && candidate.Csv is { } cc ? (bc, cc)
        : null;
}
