namespace ProbeBench.Core.Results;

/// <summary>Resolves what <c>probebench compare</c> and <c>results show</c> are given: a run folder, one of its results files, or a run's name.</summary>
public static class ResultsSource
{
    /// <summary>
    /// The run folder <paramref name="path"/> names: the folder itself, the folder of a results file in it, or (when
    /// <paramref name="resultsRoot"/> is given and the path is a bare name) the run of that name under the root. A run that
    /// has not finished is returned when it holds results (readers say so or refuse it: <see cref="RunFolderReader.Unfinished"/>);
    /// one that holds none yet is an <see cref="UnfinishedRunException"/>.
    /// </summary>
    public static string RunFolder(string path, string? resultsRoot = null)
    {
        if (Directory.Exists(path))
        {
            if (RunFolderReader.LooksLikeRun(path)) return Path.GetFullPath(path);
            if (Directory.Exists(path + ".partial") || RunFolderReader.Partial(path) is not null)
                throw new UnfinishedRunException($"{path} is an unfinished run folder (no {ResultColumns.AccuracyFile} or {ResultColumns.SpeedFile} yet).");
            throw new ProbeBenchException($"{path} holds no {ResultColumns.AccuracyFile} or {ResultColumns.SpeedFile}; give a run folder.");
        }
        if (File.Exists(path)) return Path.GetDirectoryName(Path.GetFullPath(path))!;
        var named = resultsRoot is not null && path.IndexOfAny(['/', '\\']) < 0 ? Path.Combine(resultsRoot, path) : null;
        if (named is not null && Directory.Exists(named)) return RunFolder(named);
        foreach (var run in new[] { path, named }.OfType<string>())
            if (Directory.Exists(run + ".partial"))
                throw new UnfinishedRunException($"{run} has not finished: only {run}.partial exists (its run crashed or is still being written).");
        throw new ProbeBenchException(resultsRoot is null
            ? $"{path} does not exist."
            : $"{path} is neither a folder nor a run under {resultsRoot} (probebench results list shows the runs there).");
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

/// <summary>A run folder that has not finished: what export reports as it is instead of looking for a cache key of that name.</summary>
public sealed class UnfinishedRunException(string message) : ProbeBenchException(message);

/// <summary>The exports of one BenchmarkDotNet class: <c>*-report.csv</c> and/or a JSON report.</summary>
public sealed record BenchmarkReportFiles(string? Csv, string? Json)
{
    /// <summary>The pair to compare: JSON when both sides have it (exact nanoseconds), else CSV, else null.</summary>
    public static (string Baseline, string Candidate)? Pick(BenchmarkReportFiles baseline, BenchmarkReportFiles candidate) =>
        baseline.Json is { } bj && candidate.Json is { } cj ? (bj, cj)
        : baseline.Csv is { } bc && candidate.Csv is { } cc ? (bc, cc)
        : null;
}
