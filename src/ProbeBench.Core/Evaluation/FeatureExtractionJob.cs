using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Makes sure every layer choice of a split is in the feature cache: complete entries that verify are reused,
/// corrupt ones are removed and rebuilt, partial ones resume, and all missing choices come from ONE pass.
/// </summary>
public static class FeatureExtractionJob
{
    public static SplitFeatures Ensure(
        LoadedBackbone backbone,
        IImageDataset dataset,
        IReadOnlyList<int>? indices,
        TensorPreprocessor preprocessor,
        IReadOnlyList<LayerChoice> choices,
        FeatureCache cache,
        ExtractionOptions options,
        string storageType = "fp16",
        IProgress<ExtractionProgress>? progress = null,
        Action<string>? log = null)
    {
        var rows = indices?.Count ?? dataset.Count;
        if (rows == 0) throw new ProbeBenchException($"{dataset.Name}/{dataset.Split} has no images.");
        var sample = dataset.Load(indices?[0] ?? 0);
        var (height, width) = preprocessor.Recipe.OutputSize(sample.Height, sample.Width);
        var patches = height / backbone.Config.PatchSize * (width / backbone.Config.PatchSize);

        var keys = new Dictionary<string, string>();
        var pending = new List<(LayerChoice Choice, FeatureCacheKeyParts Parts)>();
        var rebuilt = new List<string>();
        foreach (var choice in choices)
        {
            var parts = new FeatureCacheKeyParts(backbone.CheckpointSha256, backbone.Architecture, preprocessor.Description,
                dataset.Fingerprint, dataset.Split, FeatureCacheKeyParts.SubsetOf(indices), choice.Name, backbone.Precision, storageType);
            var key = parts.Key();
            keys[choice.Name] = key;
            var status = cache.Inspect(key);
            if (status.State == FeatureCacheState.Complete) continue;
            if (status.State == FeatureCacheState.Corrupt)
            {
                log?.Invoke($"Rebuilding cached features for {choice.Name} on {dataset.Name}/{dataset.Split}: {status.Problem}");
                cache.Remove(key);
                rebuilt.Add(choice.Name);
            }
            pending.Add((choice, parts));
        }
        if (pending.Count == 0) return new SplitFeatures(dataset.Split, rows, keys, null, rebuilt);

        foreach (var (choice, _) in pending)
        {
            var dim = (long)choice.Blocks.Count * (1 + patches) * backbone.Config.EmbedDim;
            // One batch of one choice is one managed array (and one span) on its way to the cache.
            if (choice.Readout == LayerReadout.Patch && dim * options.BatchSize > Array.MaxLength)
                throw new ProbeBenchException(
                    $"Layer choice {choice.Name} holds {dim:N0} values per image at {height}×{width}; a batch of {options.BatchSize} exceeds what one array holds. Lower batchSize to at most {Array.MaxLength / dim}.");
        }
        var writers = pending
            .Select(p => cache.OpenWriter(p.Parts, p.Choice.FeatureDim(backbone.Config.EmbedDim, patches), dataset.ClassNames.Count, rows,
                ChunkRows(options.BatchSize, p.Choice.FeatureDim(backbone.Config.EmbedDim, patches), storageType)))
            .ToList();
        var stats = new FeatureExtractor(backbone.Features, preprocessor, options)
            .Run(dataset, pending.Select(p => p.Choice).ToList(), writers, indices, progress);
        return new SplitFeatures(dataset.Split, rows, keys, stats, rebuilt);
    }

    /// <summary>Largest chunk file of a wide entry (patch grids): bounds the writer's buffer and a reader's first check of a chunk.</summary>
    public const long MaxChunkBytes = 64L << 20;

    /// <summary>
    /// Rows per chunk: a few batches (fine resume granularity without many tiny files), but never more than
    /// <see cref="MaxChunkBytes"/> of stored values, so patch grids of large models and images stay in bounded chunks.
    /// </summary>
    public static int ChunkRows(int batchSize, int dim, string storageType)
    {
        var byBatches = Math.Max(256, batchSize * 4);
        var bytesPerRow = (long)dim * (storageType == "fp32" ? 4 : 2);
        return (int)Math.Clamp(MaxChunkBytes / Math.Max(bytesPerRow, 1), 1, byBatches);
    }
}
