using System.Text.Json.Nodes;

namespace ProbeBench.Core.Results;

/// <summary>Everything needed to reproduce and trust a run; written as <c>manifest.json</c>.</summary>
public sealed record RunManifest
{
    public required string RunName { get; init; }
    public required JsonNode Config { get; init; }
    public required RunEnvironment Environment { get; init; }
    public IReadOnlyDictionary<string, string> CheckpointSha256 { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> DatasetFingerprints { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, int> Seeds { get; init; } = new Dictionary<string, int>();
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset FinishedUtc { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
}
