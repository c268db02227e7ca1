using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Results;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// Runs work units against a cache root and a data root. It keeps the last backbone loaded (consecutive extract units
/// of one model load it once) and the last unit's feature sets (heads on the same layer choice read them once); it holds
/// no other state, so units may equally run one per process.
/// </summary>
public sealed class UnitRunner(string cacheRoot, string dataRoot, RunCallbacks? callbacks = null) : IDisposable
{
    private readonly RunCallbacks _callbacks = callbacks ?? new RunCallbacks();
    private readonly FeatureCache _cache = new(cacheRoot);
    private readonly CheckpointStore _weights = new(Path.Combine(cacheRoot, "weights"));
    private LoadedBackbone? _backbone;
    private (ModelSpec Model, string Precision, string Device)? _backboneKey;
    private Dictionary<string, FeatureSet> _features = [];

    public static UnitRunner For(RunPlan plan, RunCallbacks? callbacks = null) =>
        new(CacheDirectories.Root(plan.CacheRoot), CacheDirectories.DataRoot(plan.DataRoot, plan.CacheRoot), callbacks);

    /// <summary>
    /// Runs unit <paramref name="unitId"/> of <paramref name="graph"/>, reading its dependencies' records from and writing
    /// its own to <paramref name="store"/>. A unit whose record is already there is not run again.
    /// </summary>
    public async Task<UnitRecord> RunAsync(RunGraph graph, string unitId, UnitStore store, CancellationToken cancellation = default)
    {
        if (store.TryGet(unitId) is { } done) return done;
        var unit = graph.Get(unitId);
        var record = unit switch
        {
            ExtractUnit extract => await ExtractAsync(extract, cancellation),
            HeadUnit head => Fit(head, graph.Cells[head.Cell], (ExtractUnit)graph.Get(head.TrainUnit),
                store.Get(head.TrainUnit, head.Id), store.Get(head.TestUnit, head.Id), cancellation),
            _ => throw new ProbeBenchException($"Work unit {unitId} is of an unknown kind."),
        };
        store.Save(record);
        return record;
    }

    /// <summary>Makes sure every layer choice of the unit's split is in the feature cache (one pass for the missing ones).</summary>
    public async Task<UnitRecord> ExtractAsync(ExtractUnit unit, CancellationToken cancellation = default)
    {
        var started = DateTimeOffset.UtcNow;
        var log = new List<string>();
        void Log(string message)
        {
            log.Add(message);
            _callbacks.Log?.Invoke(message);
        }

        var backbone = await BackboneAsync(unit, cancellation);
        var choices = LayerChoiceParser.ParseAll(unit.Choices, backbone.Config.Depth);
        var recipe = PreprocessRecipes.Parse(unit.Recipe);
        var dataset = await DatasetResolver.OpenAsync(unit.Dataset, unit.Split, dataRoot, _callbacks.Download, cancellation);
        var indices = DatasetSubset.Stratified(dataset, unit.Limit, unit.Seed);
        var options = new ExtractionOptions(unit.BatchSize, unit.Device, unit.Precision);
        var title = $"{backbone.Name} · {dataset.Name}/{dataset.Split}";
        SplitFeatures Work(IProgress<ExtractionProgress>? progress) =>
            FeatureExtractionJob.Ensure(backbone, dataset, indices, new TensorPreprocessor(recipe), choices, _cache, options, unit.StorageType, progress, Log);
        var split = _callbacks.Extraction is null ? Work(null) : _callbacks.Extraction(title, Work);
        if (split.Stats is null) Log($"{title}: all layer choices came from the feature cache");

        return new UnitRecord
        {
            Id = unit.Id, Description = unit.Describe(), StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow, Log = log,
            Model = backbone.Name, CheckpointSha256 = backbone.CheckpointSha256, Dataset = dataset.Name, Split = dataset.Split,
            DatasetFingerprint = dataset.Fingerprint, SplitRows = split.Rows, CacheKeys = split.KeysByChoice,
            FromCache = split.Stats is null, Stats = split.Stats, Rebuilt = split.Rebuilt,
            Rows = split.Stats is { } stats ? [ExtractionRow(backbone, dataset, unit, stats)] : [],
        };
    }

    /// <summary>Fits the unit's head on the cached features its two extract units recorded (<paramref name="extraction"/> defines the train one).</summary>
    public UnitRecord Fit(HeadUnit unit, RunCell cell, ExtractUnit extraction, UnitRecord train, UnitRecord test, CancellationToken cancellation = default)
    {
        var started = DateTimeOffset.UtcNow;
        var log = new List<string>();
        var head = HeadRegistry.Get(unit.Head);
        var choices = cell.Choices.Where(c => unit.Choices.Contains(c.Name)).ToList();
        if (choices.Count != unit.Choices.Count)
            throw new ProbeBenchException($"Work unit {unit.Id} names layer choices its cell does not have ({string.Join(", ", unit.Choices)}).");
        var keys = choices.SelectMany(c => new[] { KeyOf(train, c.Name, unit), KeyOf(test, c.Name, unit) }).ToList();
        _features = keys.Distinct().ToDictionary(k => k, k => _features.TryGetValue(k, out var kept) ? kept : _cache.Read(k));
        var template = new ResultRow
        {
            Model = train.Model ?? cell.Model.Name, Parameters = Models.BackboneFamilies.Of(cell.Architecture).Parameters(cell.Architecture),
            Dataset = train.Dataset ?? cell.Dataset.Name, TrainRows = train.SplitRows, TestRows = test.SplitRows,
            BatchSize = extraction.BatchSize, Precision = extraction.Precision, Device = extraction.Device, Recipe = extraction.Recipe,
        };
        var context = new HeadContext(unit.Settings, template,
            message => { log.Add(message); _callbacks.Log?.Invoke(message); }, _callbacks.Status, cancellation);
        var rows = head.Run(
            choices.Select(c => new LayerFeatures(c, _features[KeyOf(train, c.Name, unit)])).ToList(),
            choices.Select(c => new LayerFeatures(c, _features[KeyOf(test, c.Name, unit)])).ToList(),
            context);
        return new UnitRecord { Id = unit.Id, Description = unit.Describe(), StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow, Log = log, Rows = rows };
    }

    public void Dispose()
    {
        _backbone?.Dispose();
        _backbone = null;
        _features.Clear();
    }

    private static string KeyOf(UnitRecord record, string choice, HeadUnit unit) =>
        record.CacheKeys.TryGetValue(choice, out var key)
            ? key
            : throw new ProbeBenchException($"Work unit {unit.Id} needs layer choice {choice}, which unit {record.Id} did not extract.");

    private async Task<LoadedBackbone> BackboneAsync(ExtractUnit unit, CancellationToken cancellation)
    {
        var key = (unit.Model, unit.Precision, unit.Device);
        if (_backbone is not null && _backboneKey == key) return _backbone;
        _backbone?.Dispose();
        _backbone = null;
        _features.Clear();
        _callbacks.Status?.Invoke($"loading {unit.Model.Name}");
        _backbone = await BackboneLoader.LoadAsync(unit.Model, unit.Precision, unit.Device, _weights, _callbacks.Download, cancellation);
        _backboneKey = key;
        return _backbone;
    }

    private static ResultRow ExtractionRow(LoadedBackbone backbone, IImageDataset dataset, ExtractUnit unit, ExtractionStats s) => new()
    {
        Kind = "extraction", Model = backbone.Name, Parameters = backbone.Parameters, Dataset = dataset.Name,
        LayerChoice = "(all)", HyperParameter = dataset.Split, TestRows = s.Images,
        ImagesPerSecond = s.EndToEndImagesPerSecond, BackboneImagesPerSecond = s.BackboneImagesPerSecond,
        ImagesPerSecondMin = s.BatchLatenciesMs.Count > 0 ? s.BatchSize * 1000 / s.BatchLatenciesMs.Max() : null,
        ImagesPerSecondMax = s.BatchLatenciesMs.Count > 0 ? s.BatchSize * 1000 / s.BatchLatenciesMs.Min() : null,
        Repeats = s.Batches,
        LatencyP50Ms = s.BatchLatencyP50Ms, LatencyP95Ms = s.BatchLatencyP95Ms, LatencyP99Ms = s.BatchLatencyP99Ms,
        Batch1LatencyMs = s.Batch1LatencyMs, BatchSize = unit.BatchSize, Precision = unit.Precision, Device = unit.Device, Recipe = unit.Recipe,
    };
}
