namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary><c>sweep.json</c>: what a sweep folder holds, written by <c>sweep plan</c>.</summary>
public sealed record SweepManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public DateTimeOffset CreatedUtc { get; init; }
    /// <summary>The plan file it was made from (for the record; the sweep reads its own plan.json).</summary>
    public string? Source { get; init; }
    public string ProbeBenchVersion { get; init; } = typeof(SweepManifest).Assembly.GetName().Version?.ToString() ?? "unknown";
    public required IReadOnlyList<SweepUnitEntry> Units { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The sustained GFLOP/s the time estimates assume, and where the figure came from.</summary>
    public double? DeviceGflops { get; init; }
    public string DeviceGflopsSource { get; init; } = "";
}

/// <summary>One work unit as the sweep lists it: the plan's unit with what it needs and costs (an estimate until it ran).</summary>
public sealed record SweepUnitEntry(string Id, string Kind, int Cell, string Description, IReadOnlyList<string> DependsOn, UnitEstimate Estimate);

/// <summary>
/// What a unit is expected to cost. <see cref="Gflop"/> and <see cref="PeakMemoryBytes"/> come from the model's shapes and
/// the data's size; <see cref="Seconds"/> divides the work by a device rate (null when none is known).
/// </summary>
public sealed record UnitEstimate(int? Images, double? Gflop, double? Seconds, long? PeakMemoryBytes, string Basis);
