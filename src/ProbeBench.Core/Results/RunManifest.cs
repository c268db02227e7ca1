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
    /// <summary>What the plan resolved to: absolute roots, and per cell the recipe, the expanded layer choices, the architecture.</summary>
    public JsonNode? Resolved { get; init; }
    /// <summary>Every work unit of the run: where it ran and when (a sweep's units ran on many hosts and devices).</summary>
    public IReadOnlyList<RunManifestUnit> Units { get; init; } = [];
}

/// <summary>One work unit of a run as the manifest lists it.</summary>
public sealed record RunManifestUnit(string Id, string Kind, string Description, string Host, string Device, string Worker,
    DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc)
{
    public double Seconds => (FinishedUtc - StartedUtc).TotalSeconds;
}
