using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeBench.Core.Heads;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// One piece of a run that any process can do given the plan and the unit's id: its <see cref="Id"/> is a hash of
/// everything that defines it (dependencies included), so the same plan expands to the same ids everywhere.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ExtractUnit), "extract")]
[JsonDerivedType(typeof(HeadUnit), "head")]
public abstract record WorkUnit
{
    public string Id { get; init; } = "";

    /// <summary>The cell (model × dataset, in plan order) the unit belongs to.</summary>
    public int Cell { get; init; }

    /// <summary>Units whose records this one reads.</summary>
    public virtual IReadOnlyList<string> DependsOn => [];

    /// <summary>One line for progress and logs.</summary>
    public abstract string Describe();

    internal static string IdOf(string kind, object definition)
    {
        var json = JsonSerializer.Serialize(definition);
        return $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16]}";
    }
}

/// <summary>
/// Extract split <see cref="Split"/> of a dataset (or one shard of it) with a backbone for every layer choice of the cell
/// (one pass), into the feature cache.
/// </summary>
public sealed record ExtractUnit : WorkUnit
{
    public required ModelSpec Model { get; init; }
    public required DatasetSpec Dataset { get; init; }
    public required string Split { get; init; }
    /// <summary>A seeded stratified subset of this many images, or null for the whole split.</summary>
    public int? Limit { get; init; }
    public int Seed { get; init; }
    /// <summary>The preprocessing recipe's name (named or custom:…).</summary>
    public required string Recipe { get; init; }
    /// <summary>Canonical layer-choice names, resolved for the backbone's depth.</summary>
    public required IReadOnlyList<string> Choices { get; init; }
    public int BatchSize { get; init; } = 64;
    public string Device { get; init; } = "cpu";
    public string Precision { get; init; } = "fp32";
    public string StorageType { get; init; } = "fp16";
    /// <summary>Image folders are fingerprinted by content (changes the cache keys, so it is part of the id).</summary>
    public bool VerifyData { get; init; }
    /// <summary>Which shard of the split (null: the whole split): rows [Shard × ShardRows, +ShardRows) of its (sub)set, in order.</summary>
    public int? Shard { get; init; }
    public int? ShardRows { get; init; }
    /// <summary>How many shards the split has.</summary>
    public int? Shards { get; init; }

    /// <summary>
    /// Dense datasets only: cache (patch grids go into the feature cache) or online (no patch grid is extracted; the head
    /// runs the backbone itself). Either way the split's per-pixel labels are cached. Null for classification datasets.
    /// </summary>
    public string? Dense { get; init; }

    public override string Describe() =>
        $"extract {Model.Name} · {Dataset.Name}/{Split}{(Shard is { } k ? $" shard {k + 1}/{Shards}" : "")} ({Choices.Count} layer choices{(Dense is null ? "" : $", dense: {Dense}")})";

    public ExtractUnit WithId() => this with
    {
        // Units keep the ids they had before content fingerprints, shards and dense datasets existed.
        Id = (VerifyData, Shard, Dense) switch
        {
            (_, _, not null) => IdOf("extract", new { Model, Dataset, Split, Limit, Seed, Recipe, Choices, BatchSize, Device, Precision, StorageType, VerifyData, Shard, ShardRows, Shards, Dense }),
            (false, null, null) => IdOf("extract", new { Model, Dataset, Split, Limit, Seed, Recipe, Choices, BatchSize, Device, Precision, StorageType }),
            (true, null, null) => IdOf("extract", new { Model, Dataset, Split, Limit, Seed, Recipe, Choices, BatchSize, Device, Precision, StorageType, VerifyData }),
            (false, _, null) => IdOf("extract", new { Model, Dataset, Split, Limit, Seed, Recipe, Choices, BatchSize, Device, Precision, StorageType, Shard, ShardRows, Shards }),
            (true, _, null) => IdOf("extract", new { Model, Dataset, Split, Limit, Seed, Recipe, Choices, BatchSize, Device, Precision, StorageType, VerifyData, Shard, ShardRows, Shards }),
        },
    };

    /// <summary>The rows of this shard within the split's row list (all of it for a whole-split unit).</summary>
    public IReadOnlyList<int> ShardOf(IReadOnlyList<int> rows) =>
        Shard is { } k && ShardRows is { } size ? rows.Skip(k * size).Take(size).ToList() : rows;
}

/// <summary>Fit head <see cref="Head"/> on layer choice(s) <see cref="Choices"/> from its extract units' features (shards in order).</summary>
public sealed record HeadUnit : WorkUnit
{
    public required string Head { get; init; }
    /// <summary>One layer choice, or all of the cell's for a head that trains across choices.</summary>
    public required IReadOnlyList<string> Choices { get; init; }
    /// <summary>The train split's extract units: one, or its shards in order.</summary>
    public required IReadOnlyList<string> TrainUnits { get; init; }
    public required IReadOnlyList<string> TestUnits { get; init; }
    public required HeadSettings Settings { get; init; }

    /// <summary>Dense heads: cache (read the extract units' patch grids) or online (run the backbone per training step).</summary>
    public string? Dense { get; init; }

    public override IReadOnlyList<string> DependsOn => [.. TrainUnits, .. TestUnits];

    public override string Describe() => $"{Head} on {(Choices.Count == 1 ? Choices[0] : $"{Choices.Count} layer choices")}{(Dense is null ? "" : $" (dense: {Dense})")}";

    public HeadUnit WithId() => this with
    {
        // A classification unit hashes the settings classification heads read, as it did before the dense settings existed:
        // its id stays what it was, and a change of a dense setting does not re-key it.
        Id = Dense is null
            ? IdOf("head", new
            {
                Head, Choices, TrainUnits, TestUnits,
                Settings = new { Settings.Seed, Settings.Device, Settings.BootstrapSamples, Settings.LogRegGrid, Settings.KnnK, Settings.Ks },
            })
            : IdOf("head", new { Head, Choices, TrainUnits, TestUnits, Settings, Dense }),
    };
}
