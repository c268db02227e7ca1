using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.IO;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Makes sure every layer choice of a split is in the feature cache: complete entries that verify are reused,
/// corrupt ones are removed and rebuilt, partial ones resume, and all missing choices come from ONE pass. Processes
/// sharing a cache root claim entries first (<see cref="FeatureCache.TryClaim"/>): an entry another process is writing is
/// waited for and then reused, never extracted twice; nobody holds one claim while waiting for another.
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
        Action<string>? log = null,
        CancellationToken cancellation = default)
    {
        var rows = indices?.Count ?? dataset.Count;
        if (rows == 0) throw new ProbeBenchException($"{dataset.Name}/{dataset.Split} has no images.");
        var sample = dataset.Load(indices?[0] ?? 0);
        var (height, width) = preprocessor.Recipe.OutputSize(sample.Height, sample.Width);
        var patches = height / backbone.Config.PatchSize * (width / backbone.Config.PatchSize);

        var keys = new Dictionary<string, string>();
        var waiting = new List<(LayerChoice Choice, FeatureCacheKeyParts Parts)>();
        foreach (var choice in choices)
        {
            var parts = KeyParts(backbone, preprocessor, dataset, indices, choice, storageType, options.Device);
            keys[choice.Name] = parts.Key();
            waiting.Add((choice, parts));
        }
        var rebuilt = new List<string>();
        var extracted = new List<string>();
        ExtractionStats? stats = null;
        var announced = new HashSet<string>();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var claimed = new List<(LayerChoice Choice, FeatureCacheKeyParts Parts, FileLock Claim)>();
            var held = new List<(LayerChoice Choice, FeatureCacheKeyParts Parts)>();
            try
            {
                foreach (var (choice, parts) in waiting)
                {
                    var key = keys[choice.Name];
                    // The manifest alone says whether another process finished it; only a complete entry is hashed (once).
                    if (cache.State(key) == FeatureCacheState.Complete && cache.Inspect(key).State == FeatureCacheState.Complete) continue;
                    var claim = cache.TryClaim(key, out var holder);
                    if (claim is null)
                    {
                        held.Add((choice, parts));
                        if (announced.Add(key))
                            log?.Invoke($"Waiting for cached features of {choice.Name} on {dataset.Name}/{dataset.Split}: {(holder is null ? "another process" : holder.ToString())} is extracting them");
                        continue;
                    }
                    if (claim.Recovered is { } stale)
                        log?.Invoke($"Took over the feature-cache entry of {choice.Name} on {dataset.Name}/{dataset.Split} from {stale} (no longer running)");
                    // Another process may have completed it between the look and the claim.
                    var status = cache.Inspect(key);
                    if (status.State == FeatureCacheState.Complete)
                    {
                        claim.Dispose();
                        continue;
                    }
                    if (status.State == FeatureCacheState.Corrupt)
                    {
                        log?.Invoke($"Rebuilding cached features for {choice.Name} on {dataset.Name}/{dataset.Split}: {status.Problem}");
                        cache.Remove(key, claim);
                        rebuilt.Add(choice.Name);
                    }
                    claimed.Add((choice, parts, claim));
                }
                if (claimed.Count > 0)
                {
                    foreach (var (choice, _, _) in claimed)
                    {
                        var dim = (long)choice.FeatureDim(backbone.Config.EmbedDim, patches);
                        // One batch of one choice is one managed array (and one span) on its way to the cache.
                        if (choice.Readout == LayerReadout.Patch && dim * options.BatchSize > Array.MaxLength)
                            throw new ProbeBenchException(
                                $"Layer choice {choice.Name} holds {dim:N0} values per image at {height}×{width}; a batch of {options.BatchSize} exceeds what one array holds. Lower batchSize to at most {Array.MaxLength / dim}.");
                    }
                    ExtractionMemory.Check("--batch-size", backbone.Name, backbone.Config, backbone.Parameters, options.BatchSize, height, width,
                        PrecisionNames.ElementBytes(backbone.Precision), claimed.Select(p => p.Choice).ToList(), options.Device);
                    var writers = new List<FeatureCacheWriter>();
                    try
                    {
                        try
                        {
                            foreach (var (choice, parts, claim) in claimed)
                            {
                                var dim = choice.FeatureDim(backbone.Config.EmbedDim, patches);
                                writers.Add(cache.OpenWriter(parts, dim, dataset.ClassNames.Count, rows, ExtractionMemory.CacheChunkRows(options.BatchSize, dim), claim));
                            }
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            throw new ProbeBenchException($"The feature cache under {cache.Root} cannot be written ({e.Message}); give a writable --cache-root.", inner: e);
                        }
                        var pass = new FeatureExtractor(backbone.Features, preprocessor, options)
                            .Run(dataset, claimed.Select(p => p.Choice).ToList(), writers, indices, progress, cancellation);
                        // A pass over no rows (every one was in the cache already, the writer was killed before completing) timed nothing.
                        if (pass.Images > 0) stats ??= pass;
                        extracted.AddRange(claimed.Select(p => p.Choice.Name));
                    }
                    finally
                    {
                        foreach (var writer in writers) writer.Dispose();
                    }
                }
            }
            finally
            {
                foreach (var (_, _, claim) in claimed) claim.Dispose();
            }
            if (held.Count == 0) return new SplitFeatures(dataset.Split, rows, keys, stats, rebuilt, extracted);
            waiting = held;
            if (claimed.Count == 0)
            {
                cancellation.WaitHandle.WaitOne(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 1.5));
            }
        }
    }

    /// <summary>Everything that determines the features of one layer choice, each part as culture-invariant text.</summary>
    public static FeatureCacheKeyParts KeyParts(LoadedBackbone backbone, TensorPreprocessor preprocessor, IImageDataset dataset,
        IReadOnlyList<int>? indices, LayerChoice choice, string storageType, string device) =>
        new(backbone.CheckpointSha256, backbone.Architecture, preprocessor.Description, dataset.Fingerprint, dataset.Split,
            FeatureCacheKeyParts.SubsetOf(indices), choice.Name, backbone.Precision, storageType, FeatureCacheKeyParts.DeviceKind(device));
}
