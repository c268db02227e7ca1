using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;
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
            var parts = KeyParts(backbone, preprocessor, dataset, indices, choice, storageType, options.Device);
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

        ExtractionMemory.Check("--batch-size", backbone.Name, backbone.Config, backbone.Parameters, options.BatchSize, height, width,
            PrecisionNames.ElementBytes(backbone.Precision), pending.Select(p => p.Choice).ToList(), options.Device);
        var writers = new List<FeatureCacheWriter>();
        try
        {
            foreach (var (choice, parts) in pending)
            {
                var dim = choice.FeatureDim(backbone.Config.EmbedDim, patches);
                writers.Add(cache.OpenWriter(parts, dim, dataset.ClassNames.Count, rows, ExtractionMemory.CacheChunkRows(options.BatchSize, dim)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"The feature cache under {cache.Root} cannot be written ({e.Message}); give a writable --cache-root.", inner: e);
        }
        var stats = new FeatureExtractor(backbone.Features, preprocessor, options)
            .Run(dataset, pending.Select(p => p.Choice).ToList(), writers, indices, progress);
        return new SplitFeatures(dataset.Split, rows, keys, stats, rebuilt);
    }

    /// <summary>Everything that determines the features of one layer choice, each part as culture-invariant text.</summary>
    public static FeatureCacheKeyParts KeyParts(LoadedBackbone backbone, TensorPreprocessor preprocessor, IImageDataset dataset,
        IReadOnlyList<int>? indices, LayerChoice choice, string storageType, string device) =>
        new(backbone.CheckpointSha256, backbone.Architecture, preprocessor.Description, dataset.Fingerprint, dataset.Split,
            FeatureCacheKeyParts.SubsetOf(indices), choice.Name, backbone.Precision, storageType, FeatureCacheKeyParts.DeviceKind(device));
}
