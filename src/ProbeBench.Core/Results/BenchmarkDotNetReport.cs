using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Results;

/// <summary>One benchmark of a BenchmarkDotNet <c>*-report.csv</c>: its identifying columns and its timing in nanoseconds.</summary>
public sealed record BenchmarkTiming(string Key, double MeanNs, double ErrorNs, double StdDevNs);

/// <summary>
/// Reads BenchmarkDotNet's exported <c>*-report.csv</c> or JSON (<c>*-report-full-compressed.json</c> and the other
/// JSON exporters) and gates it like run results: a benchmark regresses when its mean rises beyond the percentage AND
/// the intervals mean ± error (BenchmarkDotNet's 99.9% confidence margin) of the two runs do not overlap.
/// </summary>
public static partial class BenchmarkDotNetReport
{
    /// <summary>The timings of a CSV or JSON report, chosen by the file name.</summary>
    public static IReadOnlyList<BenchmarkTiming> Read(string path)
    {
        if (!File.Exists(path)) throw new ProbeBenchException($"BenchmarkDotNet report {path} does not exist.");
        return IsJsonReport(path) ? ReadJson(path) : ReadCsv(path);
    }

    /// <summary>Largest report read (256 MiB): BenchmarkDotNet's full JSON export keeps every measurement, a few MB per class.</summary>
    public const long MaxReportBytes = 256L << 20;

    public static IReadOnlyList<BenchmarkTiming> ReadCsv(string path)
    {
        using var stream = InputFiles.OpenRead(path, "BenchmarkDotNet report", MaxReportBytes);
        try
        {
            using var reader = CsvReader.Create(stream, new CsvReaderOptions { TrackLineNumbers = true }, leaveOpen: true);
            var headers = reader.Headers;
            var mean = Array.IndexOf(headers.ToArray(), "Mean");
            if (mean < 0) throw new ProbeBenchException($"{path} is not a BenchmarkDotNet report: it has no Mean column.");
            // Columns before Mean identify the benchmark (type, method, job, parameters).
            var keyColumns = Enumerable.Range(0, mean).ToArray();
            var timings = new List<BenchmarkTiming>();
            while (reader.Read())
            {
                if (reader.FieldCount != headers.Count)
                    throw new ProbeBenchException($"{path}: line {reader.LineNumber} has {reader.FieldCount} fields where the header has {headers.Count}.");
                var key = string.Join(" | ", keyColumns.Select(i => reader.GetString(i)));
                double Value(string column) => ParseDuration(reader.GetString(column), path, column);
                timings.Add(new BenchmarkTiming(key, Value("Mean"), headers.Contains("Error") ? Value("Error") : 0, headers.Contains("StdDev") ? Value("StdDev") : 0));
            }
            return timings;
        }
        catch (Exception e) when (e is CsvFormatException or IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"BenchmarkDotNet report {path} could not be read: {e.Message.Split('\n')[0].Trim()}", inner: e);
        }
    }

    /// <summary>
    /// Reads a JSON export: <c>Benchmarks[]</c> with <c>FullName</c> and <c>Statistics</c> (Mean, StandardDeviation,
    /// ConfidenceInterval.Margin), all in nanoseconds. Benchmarks without statistics (failed ones) are skipped.
    /// </summary>
    public static IReadOnlyList<BenchmarkTiming> ReadJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(InputFiles.ReadSmallText(path, "BenchmarkDotNet report", MaxReportBytes));
            if (!document.RootElement.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
                throw new ProbeBenchException($"{path} is not a BenchmarkDotNet JSON report: it has no Benchmarks array.");
            var timings = new List<BenchmarkTiming>();
            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                if (!benchmark.TryGetProperty("Statistics", out var stats) || stats.ValueKind != JsonValueKind.Object) continue;
                var name = benchmark.TryGetProperty("FullName", out var full) ? full.GetString() : null;
                if (string.IsNullOrEmpty(name)) throw new ProbeBenchException($"{path} holds a benchmark without a FullName.");
                var error = stats.TryGetProperty("ConfidenceInterval", out var ci) && ci.TryGetProperty("Margin", out var margin) ? margin.GetDouble() : 0;
                var timing = new BenchmarkTiming(name, stats.GetProperty("Mean").GetDouble(), error,
                    stats.TryGetProperty("StandardDeviation", out var sd) ? sd.GetDouble() : 0);
                if (new[] { timing.MeanNs, timing.ErrorNs, timing.StdDevNs }.Any(v => !double.IsFinite(v) || v < 0))
                    throw new ProbeBenchException($"{path}: the benchmark {name} has a negative or non-finite time in its Statistics.");
                timings.Add(timing);
            }
            return timings;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ProbeBenchException($"{path} is not a readable BenchmarkDotNet JSON report: {e.Message}", inner: e);
        }
    }

    public static IReadOnlyList<Change> Compare(IReadOnlyList<BenchmarkTiming> baseline, IReadOnlyList<BenchmarkTiming> candidate, CompareOptions options)
    {
        var candidates = Index(candidate, "candidate");
        Index(baseline, "baseline");
        var changes = new List<Change>();
        foreach (var b in baseline)
        {
            if (!candidates.TryGetValue(b.Key, out var c))
            {
                changes.Add(new Change(b.Key, "mean ms", b.MeanNs / 1e6, null, "", "the candidate lacks this benchmark", Verdict.Missing));
                continue;
            }
            // "NA" is a benchmark whose run failed: the candidate's fails the gate as a missing one does; otherwise (the baseline's,
            // or a zero mean) there is no ratio to judge.
            if (double.IsNaN(c.MeanNs) && b.MeanNs > 0)
            {
                changes.Add(new Change(b.Key, "mean ms", b.MeanNs / 1e6, null, "", "the candidate's run of it failed (NA)", Verdict.Missing));
                continue;
            }
            if (!(b.MeanNs > 0) || !(c.MeanNs > 0))
            {
                changes.Add(new Change(b.Key, "mean ms", double.IsNaN(b.MeanNs) ? null : b.MeanNs / 1e6, double.IsNaN(c.MeanNs) ? null : c.MeanNs / 1e6, "",
                    "a side has no mean time (NA or zero)", Verdict.NotMeasured));
                continue;
            }
            var rise = 100 * (c.MeanNs - b.MeanNs) / b.MeanNs;
            var beyondNoise = c.MeanNs - c.ErrorNs > b.MeanNs + b.ErrorNs;
            var verdict = rise <= options.LatencyIncreasePercent ? (-rise > options.LatencyIncreasePercent && c.MeanNs + c.ErrorNs < b.MeanNs - b.ErrorNs ? Verdict.Improved : Verdict.Ok)
                : beyondNoise ? Verdict.Regressed : Verdict.Noisy;
            changes.Add(new Change(b.Key, "mean ms", b.MeanNs / 1e6, c.MeanNs / 1e6, $"{rise:+0.0;-0.0} %",
                $"rise ≤ {options.LatencyIncreasePercent:F0} %, else beyond both 99.9% error margins", verdict));
        }
        var baseKeys = baseline.Select(b => b.Key).ToHashSet();
        changes.AddRange(candidate.Where(c => !baseKeys.Contains(c.Key)).Select(c => new Change(c.Key, "mean ms", null, c.MeanNs / 1e6, "", "only the candidate has it", Verdict.New)));
        return changes;
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
            if (!double.IsNaN(scale) && double.IsFinite(value * scale) && value >= 0) return value * scale;
        }
        throw new ProbeBenchException($"{path}: '{text}' in column {column} is not a BenchmarkDotNet duration (a finite, non-negative time).");
    }

    private static Dictionary<string, BenchmarkTiming> Index(IReadOnlyList<BenchmarkTiming> timings, string which)
    {
        var index = new Dictionary<string, BenchmarkTiming>();
        foreach (var t in timings)
            if (!index.TryAdd(t.Key, t))
                throw new ProbeBenchException($"The {which} BenchmarkDotNet report holds two benchmarks named {t.Key}; they cannot be matched.");
        return index;
    }

    public static bool IsReport(string path) => ReportName(path) is not null;

    public static bool IsJsonReport(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && IsReport(path);

    /// <summary>The benchmark class part of a report's file name (<c>Ns.KnnBench</c> of <c>Ns.KnnBench-report-full-compressed.json</c>), or null.</summary>
    public static string? ReportName(string path)
    {
        var match = ReportFile().Match(Path.GetFileName(path));
        return match.Success ? match.Groups["name"].Value : null;
    }

    [GeneratedRegex(@"^(?<name>.+)-report(-brief|-full)?(-compressed)?\.json$|^(?<name>.+)-report\.csv$", RegexOptions.IgnoreCase)]
    private static partial Regex ReportFile();
}
