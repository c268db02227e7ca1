using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.IO;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Evaluation;

/// <summary>Runs an <see cref="ExtractRequest"/>: loads the backbone, opens each split, fills the feature cache.</summary>
public static class ExtractRunner
{
    /// <summary>Shows progress for one split's extraction; the CLI renders it, tests pass a plain one.</summary>
    public delegate SplitFeatures ProgressScope(string title, Func<IProgress<ExtractionProgress>?, SplitFeatures> work);

    public static async Task<IReadOnlyList<SplitFeatures>> RunAsync(ExtractRequest request, ProgressScope? showProgress = null,
        IProgress<DownloadProgress>? download = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var store = new CheckpointStore(Path.Combine(request.ResolvedCacheRoot, "weights"));
        using var backbone = await BackboneLoader.LoadAsync(request.Model, request.Options.Precision, request.Options.Device, store, download, cancellation);
        var choices = LayerChoiceParser.ParseAll(request.Layers, backbone.Config.Depth);
        var preprocessor = new TensorPreprocessor(request.ResolvedRecipe);
        var cache = new FeatureCache(request.ResolvedCacheRoot);
        var results = new List<SplitFeatures>();
        foreach (var split in request.Splits)
        {
            var dataset = await DatasetResolver.OpenAsync(request.Dataset, split, request.ResolvedDataRoot, download, cancellation);
            var indices = DatasetSubset.Stratified(dataset, request.Limit, request.Seed);
            var title = $"{backbone.Name} · {dataset.Name}/{split}";
            SplitFeatures Work(IProgress<ExtractionProgress>? progress) =>
                FeatureExtractionJob.Ensure(backbone, dataset, indices, preprocessor, choices, cache, request.Options, request.StorageType, progress, log);
            results.Add(showProgress is null ? Work(null) : showProgress(title, Work));
        }
        return results;
    }
}
