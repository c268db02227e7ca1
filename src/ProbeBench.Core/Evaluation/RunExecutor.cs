using System.Text.Json;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Evaluation;

/// <summary>What a finished run produced.</summary>
public sealed record RunOutcome(string Folder, IReadOnlyList<ResultRow> Rows, RunManifest Manifest);

/// <summary>
/// Runs a <see cref="RunPlan"/>: for each model and dataset, one extraction pass per split through the feature
/// cache (reused when present), then every head on every layer choice, then the results folder.
/// </summary>
public static class RunExecutor
{
    public static async Task<RunOutcome> RunAsync(RunPlan plan, RunCallbacks? callbacks = null, string? runName = null, CancellationToken cancellation = default)
    {
        callbacks ??= new RunCallbacks();
        Validate(plan);
        var started = DateTimeOffset.UtcNow;
        var cacheRoot = plan.CacheRoot ?? CacheDirectories.Root();
        var dataRoot = plan.DataRoot ?? Path.Combine(cacheRoot, "data");
        var store = new CheckpointStore(Path.Combine(cacheRoot, "weights"));
        var cache = new FeatureCache(cacheRoot);
        var rows = new List<ResultRow>();
        var latencies = new List<double>();
        var checkpoints = new Dictionary<string, string>();
        var fingerprints = new Dictionary<string, string>();
        var extraction = new ExtractionOptions(plan.BatchSize, plan.Device, plan.Precision);

        foreach (var modelSpec in plan.Models)
        {
            callbacks.Status?.Invoke($"loading {modelSpec.Name}");
            using var backbone = await BackboneLoader.LoadAsync(modelSpec, plan.Precision, plan.Device, store, callbacks.Download, cancellation);
            checkpoints[backbone.Name] = backbone.CheckpointSha256;
            var choices = LayerChoiceParser.ParseAll(plan.Layers, backbone.Config.Depth);
            foreach (var datasetSpec in plan.Datasets)
            {
                var recipe = ExtractRequest.RecipeFor(datasetSpec, plan.Recipe);
                var preprocessor = new TensorPreprocessor(recipe);
                var train = await DatasetResolver.OpenAsync(datasetSpec, "train", dataRoot, callbacks.Download, cancellation);
                var test = await DatasetResolver.OpenAsync(datasetSpec, "test", dataRoot, callbacks.Download, cancellation);
                fingerprints[$"{train.Name}/train"] = train.Fingerprint;
                fingerprints[$"{test.Name}/test"] = test.Fingerprint;
                var trainRows = DatasetSubset.Stratified(train, plan.LimitTrain, plan.Seed);
                var testRows = DatasetSubset.Stratified(test, plan.LimitTest, plan.Seed);

                var splits = new List<SplitFeatures>();
                foreach (var (dataset, indices) in new[] { (train, trainRows), (test, testRows) })
                {
                    SplitFeatures Work(IProgress<ExtractionProgress>? progress) =>
                        FeatureExtractionJob.Ensure(backbone, dataset, indices, preprocessor, choices, cache, extraction, progress: progress, log: callbacks.Log);
                    var title = $"{backbone.Name} · {dataset.Name}/{dataset.Split}";
                    var split = callbacks.Extraction is null ? Work(null) : callbacks.Extraction(title, Work);
                    splits.Add(split);
                    if (split.Stats is { } s)
                    {
                        latencies.AddRange(s.BatchLatenciesMs);
                        rows.Add(ExtractionRow(backbone, dataset, recipe, plan, s));
                    }
                    else callbacks.Log?.Invoke($"{title}: all layer choices came from the feature cache");
                }

                var template = new ResultRow
                {
                    Model = backbone.Name, Parameters = backbone.Parameters, Dataset = train.Name,
                    TrainRows = splits[0].Rows, TestRows = splits[1].Rows,
                    BatchSize = plan.BatchSize, Precision = plan.Precision, Device = plan.Device, Recipe = recipe.Name,
                };
                var linearTrain = new List<LinearProbeFeatures>();
                var linearTest = new List<LinearProbeFeatures>();
                foreach (var choice in choices)
                {
                    var trainSet = cache.Read(splits[0].KeysByChoice[choice.Name]);
                    var testSet = cache.Read(splits[1].KeysByChoice[choice.Name]);
                    var choiceTemplate = template with { LayerChoice = choice.Name, BlockIndex = choice.BlockIndex };
                    if (plan.Heads.Contains("logreg"))
                    {
                        callbacks.Status?.Invoke($"logistic regression on {choice.Name}");
                        rows.AddRange(HeadRunner.LogisticRegression(trainSet, testSet, plan, choiceTemplate, callbacks.Log));
                    }
                    if (plan.Heads.Contains("knn"))
                    {
                        callbacks.Status?.Invoke($"k-NN on {choice.Name}");
                        rows.AddRange(HeadRunner.Knn(trainSet, testSet, plan, choiceTemplate));
                    }
                    if (plan.Heads.Contains("linear"))
                    {
                        linearTrain.Add(new LinearProbeFeatures(choice.Name, trainSet));
                        linearTest.Add(new LinearProbeFeatures(choice.Name, testSet));
                    }
                }
                if (linearTrain.Count > 0)
                {
                    callbacks.Status?.Invoke("linear probe grid");
                    var linear = HeadRunner.Linear(linearTrain, linearTest, plan, template, callbacks.Log);
                    rows.Add(linear with { BlockIndex = choices.First(c => c.Name == linear.LayerChoice).BlockIndex });
                }
            }
        }

        var name = runName ?? $"{started:yyyyMMdd-HHmmss}-{Slug(string.Join('+', plan.Models.Select(m => m.Name)))}-{Slug(string.Join('+', plan.Datasets.Select(d => d.Name)))}";
        var manifest = new RunManifest
        {
            RunName = name,
            Config = JsonSerializer.SerializeToNode(plan)!,
            Environment = RunEnvironment.Capture(),
            CheckpointSha256 = checkpoints,
            DatasetFingerprints = fingerprints,
            Seeds = new Dictionary<string, int> { ["subsets, splits, heads, bootstrap"] = plan.Seed },
            StartedUtc = started,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
        callbacks.Status?.Invoke("writing results");
        var folder = new RunFolderWriter(plan.Out).Write(manifest, rows, latencies);
        return new RunOutcome(folder, rows, manifest);
    }

    private static ResultRow ExtractionRow(LoadedBackbone backbone, IImageDataset dataset, PreprocessRecipe recipe, RunPlan plan, ExtractionStats s) => new()
    {
        Kind = "extraction", Model = backbone.Name, Parameters = backbone.Parameters, Dataset = dataset.Name,
        LayerChoice = "(all)", HyperParameter = dataset.Split, TestRows = s.Images,
        ImagesPerSecond = s.EndToEndImagesPerSecond, BackboneImagesPerSecond = s.BackboneImagesPerSecond,
        ImagesPerSecondMin = s.BatchLatenciesMs.Count > 0 ? s.BatchSize * 1000 / s.BatchLatenciesMs.Max() : null,
        ImagesPerSecondMax = s.BatchLatenciesMs.Count > 0 ? s.BatchSize * 1000 / s.BatchLatenciesMs.Min() : null,
        Repeats = s.Batches,
        LatencyP50Ms = s.BatchLatencyP50Ms, LatencyP95Ms = s.BatchLatencyP95Ms, LatencyP99Ms = s.BatchLatencyP99Ms,
        Batch1LatencyMs = s.Batch1LatencyMs, BatchSize = plan.BatchSize, Precision = plan.Precision, Device = plan.Device, Recipe = recipe.Name,
    };

    private static void Validate(RunPlan plan)
    {
        foreach (var head in plan.Heads)
            if (!RunPlan.KnownHeads.Contains(head))
                throw new ProbeBenchException($"Unknown head '{head}'; use {string.Join(", ", RunPlan.KnownHeads)}.");
        PrecisionNames.ToScalarType(plan.Precision);
        if (plan.BatchSize <= 0) throw new ProbeBenchException($"--batch-size must be positive, got {plan.BatchSize}.");
        HeadRunner.LogRegGrid(plan.LogRegGrid);
    }

    private static string Slug(string text) => new(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '+' ? c : '_').ToArray());
}
