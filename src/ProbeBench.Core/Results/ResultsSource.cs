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

    /// <summary>The BenchmarkDotNet reports of a folder (or the one file given), by file name.</summary>
    public static IReadOnlyDictionary<string, string> BenchmarkReports(string path)
    {
        if (File.Exists(path) && BenchmarkDotNetReport.IsReport(path)) return new Dictionary<string, string> { [Path.GetFileName(path)] = path };
        if (Directory.Exists(path))
            return Directory.EnumerateFiles(path, "*-report.csv", SearchOption.AllDirectories).ToDictionary(p => Path.GetFileName(p), p => p);
        return new Dictionary<string, string>();
    }
}
