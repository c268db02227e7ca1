namespace ProbeBench.Core.Evaluation;

/// <summary>
/// A run: models × datasets × layer choices × heads, with the settings that shape extraction and training. This record
/// IS the plan schema: a plan file (JSON or YAML) has one camelCase key per property, every key optional (the defaults
/// below); <see cref="RunPlanReader"/> binds files to it and <see cref="RunPlanRules"/> checks every value, for files
/// and flags alike.
/// </summary>
public sealed record RunPlan
{
    /// <summary>Backbones: official or short names (downloaded), or objects { name, weights, config } for local checkpoints.</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = [new("dinov2_vits14")];

    /// <summary>Datasets: catalog names, or objects { name, path } (an image folder: name imagefolder with a path).</summary>
    public IReadOnlyList<DatasetSpec> Datasets { get; init; } = [new("cifar10")];

    /// <summary>Layer choices (cls@last, cls+avgpool@last4, every-block, ...); all come from one forward pass per split.</summary>
    public IReadOnlyList<string> Layers { get; init; } = ["cls@last", "cls+avgpool@last4", "every-block"];

    /// <summary>Probe heads by registry name.</summary>
    public IReadOnlyList<string> Heads { get; init; } = ["logreg", "knn"];

    /// <summary>auto (cuda when a CUDA libtorch loads, else cpu), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Backbone compute precision: fp32, fp16 or bf16.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>Images per forward pass.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Preprocessing recipe; null picks per dataset (resize-224 for 32/96-pixel datasets, else dinov2-eval).</summary>
    public string? Recipe { get; init; }

    /// <summary>A seeded, stratified subset of this many training images (null: all).</summary>
    public int? LimitTrain { get; init; }

    /// <summary>A seeded, stratified subset of this many test images (null: all).</summary>
    public int? LimitTest { get; init; }

    /// <summary>Seeds subsets, validation splits, heads and the bootstrap.</summary>
    public int Seed { get; init; }

    /// <summary>Results root; each run writes a folder under it.</summary>
    public string Out { get; init; } = "results/runs";

    /// <summary>Where datasets are downloaded to and read from; null means the cache root's data folder.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Feature/weights cache root; null means PROBEBENCH_CACHE or the user's cache folder.</summary>
    public string? CacheRoot { get; init; }

    /// <summary>Logistic regression C grid: "dinov2" (10^linspace(-6, 5, 45)), "coarse", or explicit values.</summary>
    public string LogRegGrid { get; init; } = "dinov2";

    /// <summary>k-NN neighbour counts, all from one search.</summary>
    public IReadOnlyList<int> KnnK { get; init; } = [10, 20, 100, 200];

    /// <summary>Resamples of each top-1 bootstrap interval.</summary>
    public int BootstrapSamples { get; init; } = 1000;

    /// <summary>A catalog suite (dinov2-linear) whose datasets the run evaluates instead of <see cref="Datasets"/>; null: none.</summary>
    public string? Suite { get; init; }

    /// <summary>Fingerprint image folders by their files' contents (SHA-256) instead of sizes and modification times.</summary>
    public bool VerifyData { get; init; }

    /// <summary>
    /// Features of the dense heads (depth, seg): cache (patch grids in the feature cache as fp16, read back a batch at a
    /// time), online (the frozen backbone runs on every training batch; nothing cached) or auto (cache when the disk has
    /// room for it, else online when memory has; the run's notes give both estimates).
    /// </summary>
    public string Dense { get; init; } = "auto";

    /// <summary>Training steps of each dense head.</summary>
    public int DenseSteps { get; init; } = 2000;

    /// <summary>Images per training step of the dense heads.</summary>
    public int DenseBatchSize { get; init; } = 8;

    /// <summary>AdamW learning rate of the dense heads; null: each head's default (1e-3).</summary>
    public double? DenseLearningRate { get; init; }

    /// <summary>The depth head's bilinear up-sampling of the patch grid before its bins (DINOv2: 4; 1 or 2 cost less memory).</summary>
    public int DenseUpsample { get; init; } = 4;

    /// <summary>The segmentation head also reads each block's class token at every patch.</summary>
    public bool SegClassToken { get; init; }
    /// <summary>Images per extract unit: a larger split is extracted as shards that can run in parallel (null: one unit per split).</summary>
    public int? ShardRows { get; init; }
}

/// <summary>A backbone: an official name (downloaded), or a name with a local checkpoint and optional config file.</summary>
public sealed record ModelSpec(string Name, string? Weights = null, string? Config = null);

/// <summary>A dataset: a catalog name (see <c>probebench datasets list</c>) or "imagefolder" with a path.</summary>
public sealed record DatasetSpec(string Name, string? Path = null);
