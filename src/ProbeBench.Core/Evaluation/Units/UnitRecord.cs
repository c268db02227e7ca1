using ProbeBench.Core.Extraction;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// What a finished unit left for the units that depend on it and for the run folder: its result rows, and for an
/// extract unit where its features are (cache key per layer choice) and what identifies them.
/// </summary>
public sealed record UnitRecord
{
    public required string Id { get; init; }
    public required string Description { get; init; }
    /// <summary>The unit this record is of, as it was defined (so a record alone says how to reopen its data).</summary>
    public WorkUnit? Unit { get; init; }
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset FinishedUtc { get; init; }
    public IReadOnlyList<ResultRow> Rows { get; init; } = [];
    /// <summary>Notable events (C chosen, cache rebuilt, ...).</summary>
    public IReadOnlyList<string> Log { get; init; } = [];

    // Where it ran.
    public string Host { get; init; } = "";
    /// <summary>The device it ran on (a sweep worker may run a cuda plan's unit on cuda:3).</summary>
    public string Device { get; init; } = "";
    /// <summary>Which worker: "run", "local worker 2", "slurm 4711_3", "k8s index 5", ...</summary>
    public string Worker { get; init; } = "";

    // Extract units.
    public string? Model { get; init; }
    public string? CheckpointSha256 { get; init; }
    public string? Dataset { get; init; }
    public string? Split { get; init; }
    public string? DatasetFingerprint { get; init; }
    /// <summary>Which rows of the split, in order ("all", or a digest of the subset's indices).</summary>
    public string? Subset { get; init; }
    public bool SyntheticData { get; init; }
    /// <summary>The network input size the recipe gives this split's images.</summary>
    public int? InputHeight { get; init; }
    public int? InputWidth { get; init; }
    /// <summary>Images in the split (after any limit).</summary>
    public int SplitRows { get; init; }
    public IReadOnlyDictionary<string, string> CacheKeys { get; init; } = new Dictionary<string, string>();
    /// <summary>True when every layer choice came from the feature cache (nothing was extracted, so no speed was measured).</summary>
    public bool FromCache { get; init; }
    public ExtractionStats? Stats { get; init; }
    public IReadOnlyList<string> Rebuilt { get; init; } = [];
    /// <summary>Multi-label splits only: per row (in feature order) one character per class, '+' present, '-' absent, '0' difficult.</summary>
    public IReadOnlyList<string>? MultiLabelTargets { get; init; }
    /// <summary>Dense splits only: where the per-pixel labels are cached (one row per image, in feature order) and what they are.</summary>
    public Heads.Dense.DenseTargets? DenseTargets { get; init; }
    /// <summary>The layer choices this unit extracted itself; the others were in the cache (or written meanwhile by another process).</summary>
    public IReadOnlyList<string> Extracted { get; init; } = [];
}
