using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Evaluation.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Heads.Dense;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Results;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>Where a runner's units run: a device that replaces the plan's (same kind: a cuda plan on cuda:3), and a worker label for the records.</summary>
public sealed record UnitPlacement(string? Device = null, string Worker = "run");

/// <summary>
/// Runs work units against a cache root and a data root. It keeps the last backbone loaded (consecutive extract units
/// of one model load it once) and the last unit's feature sets (heads on the same layer choice read them once); it holds
/// no other state, so units may equally run one per process.
/// </summary>
public sealed class UnitRunner(string cacheRoot, string dataRoot, RunCallbacks? callbacks = null, UnitPlacement? placement = null) : IDisposable
{
    private readonly RunCallbacks _callbacks = callbacks ?? new RunCallbacks();
    private readonly UnitPlacement _placement = placement ?? new UnitPlacement();
    private readonly FeatureCache _cache = new(cacheRoot);
    private readonly CheckpointStore _weights = new(Path.Combine(cacheRoot, "weights"));
    private LoadedBackbone? _backbone;
    private (ModelSpec Model, string Precision, string Device)? _backboneKey;
    private Dictionary<string, FeatureSet> _features = [];

    public static UnitRunner For(RunPlan plan, RunCallbacks? callbacks = null, UnitPlacement? placement = null) =>
        new(CacheDirectories.Root(plan.CacheRoot), CacheDirectories.DataRoot(plan.DataRoot, plan.CacheRoot), callbacks, placement);

    private string DeviceFor(string planned) => _placement.Device ?? planned;

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
            HeadUnit head when HeadRegistry.Get(head.Head) is DenseHead => await FitDenseAsync(head, graph.Cells[head.Cell], (ExtractUnit)graph.Get(head.TrainUnits[0]),
                (ExtractUnit)graph.Get(head.TestUnits[0]), store.Get(head.TrainUnits[0], head.Id), store.Get(head.TestUnits[0], head.Id), store, cancellation),
            HeadUnit head => Fit(head, graph.Cells[head.Cell], (ExtractUnit)graph.Get(head.TrainUnits[0]),
                head.TrainUnits.Select(u => store.Get(u, head.Id)).ToList(), head.TestUnits.Select(u => store.Get(u, head.Id)).ToList(), cancellation),
            _ => throw new ProbeBenchException($"Work unit {unitId} is of an unknown kind."),
        };
        record = record with
        {
            Host = Environment.MachineName, Worker = _placement.Worker,
            Device = DeviceFor(unit is ExtractUnit e ? e.Device : ((HeadUnit)unit).Settings.Device),
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
        var folderOptions = new ImageFolderOptions(VerifyData: unit.VerifyData, IndexFolder: Path.Combine(cacheRoot, "image-folders"),
            Progress: message => { if (message.StartsWith("indexing ", StringComparison.Ordinal)) _callbacks.Status?.Invoke(message); else Log(message); });
        var dataset = await DatasetResolver.OpenAsync(unit.Dataset, unit.Split, dataRoot, _callbacks.Download, cancellation, folderOptions, Log);
        var indices = DatasetSubset.Stratified(dataset, unit.Limit, unit.Seed);
        if (unit.Shard is not null)
        {
            indices = unit.ShardOf(indices ?? Enumerable.Range(0, dataset.Count).ToList());
            if (indices.Count == 0) throw new ProbeBenchException($"Work unit {unit.Id} ({unit.Describe()}) covers no rows: {dataset.Name}/{dataset.Split} has {dataset.Count}.");
        }
        var sample = dataset.Count > 0 ? dataset.Load(indices?[0] ?? 0) : null;
        var (height, width) = sample is null ? (0, 0) : recipe.OutputSize(sample.Height, sample.Width);
        var options = new ExtractionOptions(unit.BatchSize, DeviceFor(unit.Device), unit.Precision);
        var title = $"{backbone.Name} · {dataset.Name}/{dataset.Split}";
        var machine = RunEnvironment.Machine();
        DenseTargets? targets = null;
        if (dataset is IDenseDataset dense)
        {
            _callbacks.Status?.Invoke($"caching the per-pixel labels of {dataset.Name}/{dataset.Split}");
            targets = DenseTargetsJob.Ensure(dense, indices, recipe, _cache, Log,
                _callbacks.Progress is { } report ? (done, total) => report("labels cached", done, total) : null, cancellation);
        }
        // Patch grids are stored one block per entry (patch@b), so lin. 1, lin. 4 and every-block share what they overlap;
        // dense: online stores none (the head runs the backbone itself).
        var stored = choices.Where(c => c.Readout != LayerReadout.Patch)
            .Concat(unit.Dense == DensePlanning.Online ? [] : choices.Where(c => c.Readout == LayerReadout.Patch).SelectMany(c => c.Blocks).Distinct().Order()
                .Select(b => new LayerChoice($"patch@{b}", LayerReadout.Patch, [b])))
            .DistinctBy(c => c.Name).ToList();
        if (stored.Count == 0)
        {
            Log($"{title}: dense: online, so no feature is extracted here (the head runs the backbone per step)");
            return new UnitRecord
            {
                Id = unit.Id, Description = unit.Describe(), StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow, Log = log,
                Model = backbone.Name, CheckpointSha256 = backbone.CheckpointSha256, Dataset = dataset.Name, Split = dataset.Split,
                DatasetFingerprint = dataset.Fingerprint, Subset = FeatureCacheKeyParts.SubsetOf(indices), SyntheticData = dataset.IsSynthetic,
                InputHeight = height, InputWidth = width, SplitRows = indices?.Count ?? dataset.Count, FromCache = true, DenseTargets = targets,
            };
        }
        SplitFeatures Work(IProgress<ExtractionProgress>? progress) =>
            FeatureExtractionJob.Ensure(backbone, dataset, indices, new TensorPreprocessor(recipe), stored, _cache, options, unit.StorageType, progress, Log, cancellation);
        var split = _callbacks.Extraction is null ? Work(null) : _callbacks.Extraction(title, Work);
        if (split.Stats is null) Log($"{title}: all layer choices came from the feature cache (nothing timed)");

        var record = new UnitRecord
        {
            Id = unit.Id, Description = unit.Describe(), Unit = unit, StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow, Log = log,
            Model = backbone.Name, CheckpointSha256 = backbone.CheckpointSha256, Dataset = dataset.Name, Split = dataset.Split,
            DatasetFingerprint = dataset.Fingerprint, Subset = FeatureCacheKeyParts.SubsetOf(indices), SyntheticData = dataset.IsSynthetic,
            InputHeight = height, InputWidth = width, SplitRows = split.Rows, CacheKeys = split.KeysByChoice,
            FromCache = split.Stats is null, Stats = split.Stats, Rebuilt = split.Rebuilt, Extracted = split.Extracted ?? [], MultiLabelTargets = MultiLabelRows(dataset, indices),
            DenseTargets = targets,
        };
        var row = ExtractionRows.Of(unit, backbone, choices, record, machine);
        // The speed reference is measured right after the extraction it calibrates, and only when there was one.
        return record with { Rows = [record.FromCache ? row : row with { ReferenceGflops = DeviceSpeed.MatmulGflops(TorchRuntime.ResolveDevice(options.Device)) }] };
    }

    /// <summary>Fits the unit's head on the cached features its extract units recorded (shards joined in order; <paramref name="extraction"/> is the first train one).</summary>
    public UnitRecord Fit(HeadUnit unit, RunCell cell, ExtractUnit extraction, IReadOnlyList<UnitRecord> trainShards, IReadOnlyList<UnitRecord> testShards,
        CancellationToken cancellation = default)
    {
        var train = trainShards[0];
        var started = DateTimeOffset.UtcNow;
        var log = new List<string>();
        var head = HeadRegistry.Get(unit.Head);
        var choices = cell.Choices.Where(c => unit.Choices.Contains(c.Name)).ToList();
        if (choices.Count != unit.Choices.Count)
            throw new ProbeBenchException($"Work unit {unit.Id} names layer choices its cell does not have ({string.Join(", ", unit.Choices)}).");
        var keys = choices.SelectMany(c => new[] { KeyOf(trainShards, c.Name, unit), KeyOf(testShards, c.Name, unit) }).ToList();
        _features = keys.Distinct().ToDictionary(k => k, k => _features.TryGetValue(k, out var kept) ? kept : Join(k.Split('+').Select(_cache.Read).ToList()));
        var test = testShards[0];
        var template = Template(cell, extraction, trainShards, testShards);
        var context = new HeadContext(unit.Settings with { Device = DeviceFor(unit.Settings.Device) }, template,
            message => { log.Add(message); _callbacks.Log?.Invoke(message); }, _callbacks.Status, cancellation)
        {
            Metric = Data.DatasetCatalog.LoadDefault().Find(cell.Dataset.Name)?.Metric ?? Kernel.DatasetMetrics.Top1,
            Report = _callbacks.Progress,
            TrainTargets = MultiLabelTargets.Parse(JoinedTargets(trainShards), train.Id),
            TestTargets = MultiLabelTargets.Parse(JoinedTargets(testShards), test.Id),
        };
        var rows = head.Run(
            choices.Select(c => new LayerFeatures(c, _features[KeyOf(trainShards, c.Name, unit)])).ToList(),
            choices.Select(c => new LayerFeatures(c, _features[KeyOf(testShards, c.Name, unit)])).ToList(),
            context);
        return new UnitRecord { Id = unit.Id, Description = unit.Describe(), Unit = unit, StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow, Log = log, Rows = rows };
    }

    /// <summary>
    /// Fits a dense head on one layer choice: its splits stream from the cache (one <c>patch@b</c> entry per block, and the
    /// labels entry the extract units recorded) or, with dense: online, from the backbone run per batch; the head's example
    /// figure goes into the unit's folder beside its record.
    /// </summary>
    public async Task<UnitRecord> FitDenseAsync(HeadUnit unit, RunCell cell, ExtractUnit trainUnit, ExtractUnit testUnit, UnitRecord train, UnitRecord test,
        UnitStore store, CancellationToken cancellation = default)
    {
        var started = DateTimeOffset.UtcNow;
        var log = new List<string>();
        var head = (DenseHead)HeadRegistry.Get(unit.Head);
        var choice = cell.Choices.FirstOrDefault(c => unit.Choices.Count == 1 && c.Name == unit.Choices[0])
            ?? throw new ProbeBenchException($"Work unit {unit.Id} names layer choice(s) {string.Join(", ", unit.Choices)}; a dense head reads one of its cell's.");
        var recipe = PreprocessRecipes.Parse(trainUnit.Recipe);
        var context = new HeadContext(unit.Settings with { Device = DeviceFor(unit.Settings.Device) }, Template(cell, trainUnit, [train], [test]),
            message => { log.Add(message); _callbacks.Log?.Invoke(message); }, _callbacks.Status, cancellation)
        {
            Metric = Data.DatasetCatalog.LoadDefault().Find(cell.Dataset.Name)?.Metric ?? Kernel.DatasetMetrics.Top1,
            FiguresFolder = Path.Combine(store.Folder, unit.Id),
            FiguresRelative = $"{Path.GetFileName(store.Folder)}/{unit.Id}",
            Progress = _callbacks.Progress is { } report ? (done, total) => report("training step", done, total) : null,
        };
        using var trainSplit = await DenseSplitAsync(unit, cell, choice, trainUnit, train, recipe, examples: false, cancellation);
        using var testSplit = await DenseSplitAsync(unit, cell, choice, testUnit, test, recipe, examples: true, cancellation);
        var rows = head.RunDense(choice, trainSplit.Split, testSplit.Split, context);
        return new UnitRecord { Id = unit.Id, Description = unit.Describe(), StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow, Log = log, Rows = rows };
    }

    /// <summary>A dense split and what it holds open (cache readers), released together.</summary>
    private sealed class OpenDenseSplit(DenseSplit split) : IDisposable
    {
        public DenseSplit Split => split;

        public void Dispose()
        {
            split.Grids.Dispose();
            split.Labels.Dispose();
        }
    }

    private async Task<OpenDenseSplit> DenseSplitAsync(HeadUnit unit, RunCell cell, LayerChoice choice, ExtractUnit extraction, UnitRecord record,
        PreprocessRecipe recipe, bool examples, CancellationToken cancellation)
    {
        var targets = record.DenseTargets
            ?? throw new ProbeBenchException($"Work unit {unit.Id} needs the per-pixel labels of {record.Dataset}/{record.Split}, which unit {record.Id} did not record.");
        var patch = cell.Architecture.PatchSize;
        var (gridHeight, gridWidth) = ((record.InputHeight ?? 0) / patch, (record.InputWidth ?? 0) / patch);
        if (gridHeight <= 0 || gridWidth <= 0)
            throw new ProbeBenchException($"Unit {record.Id} recorded an input of {record.InputHeight}×{record.InputWidth}, smaller than one {patch}-pixel patch.");
        IImageDataset? dataset = null;
        IReadOnlyList<int>? indices = null;
        async Task<(IImageDataset, IReadOnlyList<int>?)> Open()
        {
            if (dataset is null)
            {
                dataset = await DatasetResolver.OpenAsync(extraction.Dataset, extraction.Split, dataRoot, _callbacks.Download, cancellation);
                indices = DatasetSubset.Stratified(dataset, extraction.Limit, extraction.Seed);
                if ((indices?.Count ?? dataset.Count) != record.SplitRows)
                    throw new ProbeBenchException($"{dataset.Name}/{dataset.Split} now holds {indices?.Count ?? dataset.Count} images, but unit {record.Id} extracted {record.SplitRows}; run the extraction again.");
            }
            return (dataset, indices);
        }

        IPatchGridSource grids;
        if (unit.Dense == DensePlanning.Online)
        {
            var backbone = await BackboneAsync(extraction, cancellation);
            var (opened, rows) = await Open();
            grids = new OnlinePatchGrids(backbone, opened, rows, recipe, choice.Blocks, gridHeight, gridWidth);
        }
        else
        {
            var readers = new List<FeatureRowReader>();
            try
            {
                foreach (var block in choice.Blocks) readers.Add(FeatureRowReader.Open(_cache, KeyOf([record], $"patch@{block}", unit)));
            }
            catch
            {
                foreach (var reader in readers) reader.Dispose();
                throw;
            }
            grids = new CachedPatchGrids(choice.Blocks, readers, gridHeight, gridWidth, cell.Architecture.EmbedDim);
        }
        FeatureRowReader labels;
        try
        {
            labels = FeatureRowReader.Open(_cache, targets.Key);
            if (labels.Rows != grids.Images || labels.Dim != targets.Height * targets.Width)
                throw new ProbeBenchException($"The cached labels {targets.Key} hold {labels.Rows} maps of {labels.Dim} pixels; the split has {grids.Images} images of {targets.Height}×{targets.Width}.");
        }
        catch
        {
            grids.Dispose();
            throw;
        }
        Func<int, RgbImage>? image = null;
        if (examples)
        {
            var (opened, rows) = await Open();
            var geometry = new DenseLabelGeometry(targets.Height, targets.Width, targets.Native);
            image = i => geometry.Apply(recipe, opened.Load(rows?[i] ?? i), $"{opened.Name}/{opened.Split} image {rows?[i] ?? i}");
        }
        return new OpenDenseSplit(new DenseSplit(grids, labels, targets, image));
    }

    // The row every result of a head unit starts from: model, dataset, split sizes (shards summed), extraction settings.
    private static ResultRow Template(RunCell cell, ExtractUnit extraction, IReadOnlyList<UnitRecord> trainShards, IReadOnlyList<UnitRecord> testShards)
    {
        var (train, test) = (trainShards[0], testShards[0]);
        var family = BackboneFamilies.Of(cell.Architecture);
        return new ResultRow
        {
            Model = train.Model ?? cell.Model.Name, RandomWeights = BackboneLoader.IsRandom(cell.Model), Family = family.Name,
            Parameters = family.Parameters(cell.Architecture), CheckpointSha256 = train.CheckpointSha256,
            Dataset = train.Dataset ?? cell.Dataset.Name, SyntheticData = train.SyntheticData,
            DatasetFingerprint = Digest($"{train.DatasetFingerprint}|{test.DatasetFingerprint}"),
            TestSamples = Digest($"{test.DatasetFingerprint}|{test.Split}|{string.Join('+', testShards.Select(s => s.Subset))}"),
            TrainRows = trainShards.Sum(r => r.SplitRows), TestRows = testShards.Sum(r => r.SplitRows),
            BatchSize = extraction.BatchSize, Precision = extraction.Precision, Device = extraction.Device, Recipe = extraction.Recipe,
            Resolution = test.InputHeight,
            GflopPerImage = test.InputHeight is > 0 and var h && test.InputWidth is > 0 and var w ? family.FlopsPerImage(cell.Architecture, h, w) / 1e9 : null,
        };
    }

    private static string Digest(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];

    public void Dispose()
    {
        _backbone?.Dispose();
        _backbone = null;
        _features.Clear();
    }

    private static IReadOnlyList<string>? MultiLabelRows(IImageDataset dataset, IReadOnlyList<int>? indices) =>
        dataset is IMultiLabelDataset { IsMultiLabel: true } multi
            ? (indices ?? Enumerable.Range(0, dataset.Count).ToList()).Select(i => MultiLabelTargets.Format(multi.GetTargets(i))).ToList()
            : null;

    private static IReadOnlyList<string>? JoinedTargets(IReadOnlyList<UnitRecord> shards) =>
        shards.All(s => s.MultiLabelTargets is null) ? null : shards.SelectMany(s => s.MultiLabelTargets ?? []).ToList();

    // One cache key, or the shards' keys joined with '+', in order.
    private static string KeyOf(IReadOnlyList<UnitRecord> shards, string choice, HeadUnit unit) =>
        string.Join('+', shards.Select(record => record.CacheKeys.TryGetValue(choice, out var key)
            ? key
            : throw new ProbeBenchException($"Work unit {unit.Id} needs layer choice {choice}, which unit {record.Id} did not extract.")));

    // The shards of a split as one feature set, rows in shard order; at most maxValues values (one array's worth; tests lower it).
    internal static FeatureSet Join(IReadOnlyList<FeatureSet> shards, long maxValues = int.MaxValue)
    {
        if (shards.Count == 1) return shards[0];
        var dim = shards[0].Dim;
        if (shards.Any(s => s.Dim != dim || s.ClassCount != shards[0].ClassCount))
            throw new ProbeBenchException("The shards of one split hold features of different widths or class counts; remove their cache entries and extract again.");
        var count = shards.Sum(s => (long)s.Values.Length);
        if (count > Math.Min(maxValues, Array.MaxLength))
            throw new ProbeBenchException(
                $"The {shards.Count} shards of one split hold {count:N0} feature values together ({shards.Sum(s => (long)s.Rows):N0} rows × {dim:N0}), more than one array holds ({Math.Min(maxValues, Array.MaxLength):N0}); use fewer images or a narrower layer choice.");
        var values = new float[count];
        var offset = 0L;
        foreach (var shard in shards)
        {
            shard.Values.CopyTo(values, offset);
            offset += shard.Values.Length;
        }
        return new FeatureSet(values, shards.Sum(s => s.Rows), dim, shards.SelectMany(s => s.Labels).ToArray(), shards[0].ClassCount);
    }

    private async Task<LoadedBackbone> BackboneAsync(ExtractUnit unit, CancellationToken cancellation)
    {
        var key = (unit.Model, unit.Precision, DeviceFor(unit.Device));
        if (_backbone is not null && _backboneKey == key) return _backbone;
        _backbone?.Dispose();
        _backbone = null;
        _features.Clear();
        _callbacks.Status?.Invoke($"loading {unit.Model.Name}");
        _backbone = await BackboneLoader.LoadAsync(unit.Model, unit.Precision, DeviceFor(unit.Device), _weights, _callbacks.Download, cancellation);
        _backboneKey = key;
        return _backbone;
    }
}
