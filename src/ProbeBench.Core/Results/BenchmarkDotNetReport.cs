using System.Globalization;
using CsvHelper;

namespace ProbeBench.Core.Results;

/// <summary>One benchmark of a BenchmarkDotNet <c>*-report.csv</c>: its identifying columns and its timing in nanoseconds.</summary>
public sealed record BenchmarkTiming(string Key, double MeanNs, double ErrorNs, double StdDevNs);

/// <summary>
/// Reads BenchmarkDotNet's exported <c>*-report.csv</c> and gates it like run results: a benchmark regresses when
/// its mean rises beyond the percentage AND the intervals mean ± error of the two runs do not overlap.
/// </summary>
public static class BenchmarkDotNetReport
{
    private static readonly string[] Timing = ["Mean", "Error", "StdDev"];

    public static IReadOnlyList<BenchmarkTiming> Read(string path)
    {
        using var reader = CsvReader.FromFile(path);
        var headers = reader.Headers;
        var mean = Array.IndexOf(headers.ToArray(), "Mean");
        if (mean < 0) throw new ProbeBenchException($"{path} is not a BenchmarkDotNet report: it has no Mean column.");
        // Columns before Mean identify the benchmark (type, method, job, parameters).
        var keyColumns = Enumerable.Range(0, mean).ToArray();
        var timings = new List<BenchmarkTiming>();
        while (reader.Read())
        {
            var key = string.Join(" | ", keyColumns.Select(i => reader.GetString(i)));
            double Value(string column) => ParseDuration(reader.GetString(column), path, column);
            timings.Add(new BenchmarkTiming(key, Value("Mean"), headers.Contains("Error") ? Value("Error") : 0, headers.Contains("StdDev") ? Value("StdDev") : 0));
        }
        return timings;
    }

    public static Comparison Compare(IReadOnlyList<BenchmarkTiming> baseline, IReadOnlyList<BenchmarkTiming> candidate, CompareOptions options)
    {
        var candidates = candidate.ToDictionary(t => t.Key);
        var changes = new List<Change>();
        foreach (var b in baseline)
        {
            if (!candidates.TryGetValue(b.Key, out var c)) continue;
            var rise = 100 * (c.MeanNs - b.MeanNs) / b.MeanNs;
            var beyondNoise = c.MeanNs - c.ErrorNs > b.MeanNs + b.ErrorNs;
            changes.Add(new Change(b.Key, "mean ms", b.MeanNs / 1e6, c.MeanNs / 1e6, $"{rise:+0.0;-0.0} %",
                $"rise ≤ {options.LatencyIncreasePercent:F0} % or within error", rise > options.LatencyIncreasePercent && beyondNoise));
        }
        var baseKeys = baseline.Select(b => b.Key).ToHashSet();
        return new Comparison(changes, baseline.Where(b => !candidates.ContainsKey(b.Key)).Select(b => b.Key).ToList(),
            candidate.Where(c => !baseKeys.Contains(c.Key)).Select(c => c.Key).ToList());
    }

    /// <summary>Parses "1,234.5 ns", "12.3 μs", "4.5 ms", "1.2 s" (BenchmarkDotNet's invariant output) to nanoseconds.</summary>
    public static double ParseDuration(string text, string path, string column)
    {
        var t = text.Trim().Replace(",", "");
        if (t is "NA" or "" or "?") return double.NaN;
        var parts = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            var scale = parts[1] switch
            {
                "ns" => 1.0, "us" or "μs" or "µs" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9,
                _ => double.NaN,
            };
            if (!double.IsNaN(scale)) return value * scale;
        }
        throw new ProbeBenchException($"{path}: '{text}' in column {column} is not a BenchmarkDotNet duration.");
    }

    public static bool IsReport(string path) => path.EndsWith("-report.csv", StringComparison.OrdinalIgnoreCase);
}
