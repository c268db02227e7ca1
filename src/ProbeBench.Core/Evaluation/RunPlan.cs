namespace ProbeBench.Core.Evaluation;

/// <summary>
/// A run: models × datasets × layer choices × heads, with the settings that shape extraction and
/// training. The documented schema (JSON or YAML, camelCase keys) is in <see cref="RunPlanReader"/>.
/// </summary>
public sealed record RunPlan
{
    public IReadOnlyList<ModelSpec> Models { get; init; } = [new("dinov2_vits14")];
    public IReadOnlyList<DatasetSpec> Datasets { get; init; } = [new("cifar10")];
    public IReadOnlyList<string> Layers { get; init; } = ["cls@last", "cls+avgpool@last4", "every-block"];
    public IReadOnlyList<string> Heads { get; init; } = ["logreg", "knn"];
    public string Device { get; init; } = "cpu";
    public string Precision { get; init; } = "fp32";
    public int BatchSize { get; init; } = 64;
    /// <summary>Preprocessing recipe name; null picks per dataset (resize-224 for 32/96-pixel datasets, else dinov2-eval).</summary>
    public string? Recipe { get; init; }
    public int? LimitTrain { get; init; }
    public int? LimitTest { get; init; }
    public int Seed { get; init; }
    /// <summary>Results root; each run writes a folder under it.</summary>
    public string Out { get; init; } = "results/runs";
    /// <summary>Where datasets are downloaded to and read from; null means the cache's data folder.</summary>
    public string? DataRoot { get; init; }
    /// <summary>Feature/weights cache root; null means PROBEBENCH_CACHE or the user's cache folder.</summary>
    public string? CacheRoot { get; init; }
    /// <summary>Logistic regression C grid: "dinov2" (10^linspace(-6, 5, 45)), "coarse", or explicit values.</summary>
    public string LogRegGrid { get; init; } = "dinov2";
    public IReadOnlyList<int> KnnK { get; init; } = [10, 20, 100, 200];
    public int BootstrapSamples { get; init; } = 1000;

    public static IReadOnlyList<string> KnownHeads { get; } = ["logreg", "knn", "linear"];
    public static IReadOnlyList<string> KnownPrecisions { get; } = ["fp32", "fp16", "bf16"];
}

/// <summary>A backbone: an official name (downloaded), or a name with a local checkpoint and optional HF config.json.</summary>
public sealed record ModelSpec(string Name, string? Weights = null, string? Config = null);

/// <summary>A dataset: a catalog name (cifar10, cifar100, cifar100-coarse, stl10) or "imagefolder" with a path.</summary>
public sealed record DatasetSpec(string Name, string? Path = null);
