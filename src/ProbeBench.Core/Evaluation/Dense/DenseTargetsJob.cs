using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads.Dense;
using ProbeBench.Core.IO;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation.Dense;

/// <summary>
/// Writes a dense split's labels into the feature cache, one row per image in split order, in the geometry the recipe
/// gives them (<see cref="DenseLabelGeometry"/>): depth as fp32 metres, classes as fp16 indices (exact up to 2048). The
/// entry is keyed like features (dataset fingerprint, split, subset, recipe) but not by the backbone, so every model of a
/// plan shares it; a complete entry that verifies is reused, a partial one resumes, a corrupt one is rebuilt.
/// </summary>
public static class DenseTargetsJob
{
    /// <summary>Images decoded at a time (in parallel), fewer for large maps: bounds memory to about 64 MB of labels.</summary>
    private static int BlockImagesFor(int pixels) => Math.Clamp((16 << 20) / Math.Max(pixels, 1), 1, 32);

    public static DenseTargets Ensure(IDenseDataset dataset, IReadOnlyList<int>? indices, PreprocessRecipe recipe, FeatureCache cache,
        Action<string>? log = null, Action<int, int>? progress = null, CancellationToken cancellation = default)
    {
        var rows = indices?.Count ?? dataset.Count;
        if (rows == 0) throw new ProbeBenchException($"{dataset.Name}/{dataset.Split} has no images.");
        int Index(int row) => indices?[row] ?? row;
        var (sampleHeight, sampleWidth) = dataset.ImageSize(Index(0));
        var geometry = DenseLabelGeometry.For(recipe, dataset, sampleHeight, sampleWidth);
        var depth = dataset.Task == DenseTask.Depth;
        var storage = depth ? "fp32" : "fp16";
        var parts = new FeatureCacheKeyParts("none", "labels", recipe.Canonical, dataset.Fingerprint, dataset.Split, FeatureCacheKeyParts.SubsetOf(indices),
            $"labels:{DenseLabels.Name(dataset.Task)}:{geometry.Height}x{geometry.Width}:{(geometry.Native ? "native" : "recipe")}", "none", storage, "none");
        var key = parts.Key();
        var (min, max) = dataset.DepthRange;
        var targets = new DenseTargets(key, dataset.Task, geometry.Height, geometry.Width, geometry.Native,
            dataset.Task == DenseTask.Segmentation ? dataset.ClassNames : [], min, max, dataset.About);

        // Another process (a sweep worker on the same cache) may be caching the same labels: wait for it, or take over its claim.
        FileLock? claim;
        var announced = false;
        while ((claim = cache.TryClaim(key, out var holder)) is null)
        {
            if (cache.State(key) == FeatureCacheState.Complete && cache.Inspect(key).State == FeatureCacheState.Complete) return targets;
            if (!announced) log?.Invoke($"Waiting for the cached labels of {dataset.Name}/{dataset.Split}: {(holder is null ? "another process" : holder.ToString())} is writing them");
            announced = true;
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            cancellation.ThrowIfCancellationRequested();
        }
        using (claim)
        {
            var status = cache.Inspect(key);
            if (status.State == FeatureCacheState.Complete) return targets;
            if (status.State == FeatureCacheState.Corrupt)
            {
                log?.Invoke($"Rebuilding cached labels of {dataset.Name}/{dataset.Split}: {status.Problem}");
                cache.Remove(key, claim);
            }
            Write(dataset, indices, recipe, geometry, cache, parts, claim, progress, cancellation);
        }
        return targets;
    }

    private static void Write(IDenseDataset dataset, IReadOnlyList<int>? indices, PreprocessRecipe recipe, DenseLabelGeometry geometry, FeatureCache cache,
        FeatureCacheKeyParts parts, FileLock claim, Action<int, int>? progress, CancellationToken cancellation)
    {
        var rows = indices?.Count ?? dataset.Count;
        int Index(int row) => indices?[row] ?? row;
        var dim = checked(geometry.Height * geometry.Width);
        var blockImages = BlockImagesFor(dim);
        using var writer = cache.OpenWriter(parts, dim, classCount: 1, rows, ExtractionMemory.CacheChunkRows(blockImages, dim), claim);
        var labels = new int[blockImages];
        var block = new float[(long)blockImages * dim];
        for (var start = writer.ResumeRow; start < rows; start += blockImages)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = Math.Min(blockImages, rows - start);
            ParallelLoops.For(0, count, new ParallelOptions { CancellationToken = cancellation }, i =>
            {
                var index = Index(start + i);
                var (height, width) = dataset.ImageSize(index);
                var map = geometry.Apply(recipe, dataset.LoadLabels(index), height, width, $"{dataset.Name}/{dataset.Split} image {index}");
                map.Values.CopyTo(block.AsSpan(i * dim, dim));
            });
            writer.Append(block.AsSpan(0, count * dim), labels.AsSpan(0, count), dim);
            progress?.Invoke(start + count, rows);
        }
        writer.Complete();
    }
}
