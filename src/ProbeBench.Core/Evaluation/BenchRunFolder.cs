using System.Text.Json;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation;

/// <summary>Writes a <c>probebench bench</c> grid as a run folder (results.csv, report, figures) for <c>probebench compare</c>.</summary>
public static class BenchRunFolder
{
    /// <summary>The folder written under <paramref name="resultsRoot"/>; its name defaults to <c>bench-&lt;start time&gt;</c>.</summary>
    public static string Write(BenchOptions options, IReadOnlyList<BenchResult> results, string resultsRoot, string? name, DateTimeOffset started)
    {
        var manifest = new RunManifest
        {
            RunName = name ?? $"bench-{started:yyyyMMdd-HHmmss}",
            Config = JsonSerializer.SerializeToNode(options)!,
            Environment = RunEnvironment.Capture(),
            Seeds = new Dictionary<string, int> { ["random weights and input"] = (int)options.Seed },
            StartedUtc = started,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
        return new RunFolderWriter(resultsRoot).Write(manifest, results.Select(r => r.ToRow()).ToList());
    }
}
