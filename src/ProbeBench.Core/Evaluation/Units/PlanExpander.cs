using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Evaluation.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Heads.Dense;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// Expands a plan into cells (model × dataset) and work units: per cell one extract unit per split (every layer choice
/// from one pass), then one head unit per head and layer choice (or one over all choices for heads that train across
/// them). Needs each backbone's architecture, which it reads without downloading (<see cref="BackboneLoader.Describe"/>),
/// and resolves the device setting (auto becomes cuda or cpu). A dataset's task decides its heads: classification
/// datasets get the pooled heads, depth and segmentation datasets the dense heads of their task on the patch@… choices
/// (each head's defaults when the plan names none), with the dense mode (cache or online) decided per cell from its estimate.
/// With <see cref="RunPlan.ShardRows"/>, a classification split larger than that becomes several extract units (shards of a
/// multiple of the batch size, so every batch holds the images it would hold unsharded); sizing them opens the split.
/// </summary>
public static class PlanExpander
{
    public static RunGraph Expand(RunPlan plan)
    {
        // "auto" is decided here, once, so the units' ids (which cover the device) name the device they will run on.
        plan = plan with { Device = Runtime.TorchRuntime.ResolveDeviceName(plan.Device, out _) };
        var cells = new List<RunCell>();
        var units = new List<WorkUnit>();
        var notes = new List<string>();
        var settings = HeadSettingsOf(plan);
        foreach (var model in plan.Models.Select(Resolved))
        {
            var architecture = BackboneLoader.Describe(model);
            var choices = LayerChoiceParser.ParseAll(plan.Layers, architecture.Depth);
            foreach (var dataset in DatasetsOf(plan).Select(Resolved))
            {
                var task = TaskOf(dataset);
                if (task != DenseTask.Classification)
                {
                    AddDenseCell(plan, model, dataset, task, architecture, choices, settings, cells, units, notes);
                    continue;
                }
                var cell = new RunCell(cells.Count, model, dataset, architecture, choices, PlanDefaults.RecipeFor(dataset, plan.Recipe, model, architecture).Name);
                CheckMemory(plan, cell);
                cells.Add(cell);
                var train = Extracts(plan, cell, "train", plan.LimitTrain);
                var test = Extracts(plan, cell, "test", plan.LimitTest);
                units.AddRange(train);
                units.AddRange(test);
                units.AddRange(HeadUnits(plan, cell, train, test, settings, notes));
            }
        }
        return new RunGraph(plan, cells, units, notes.Distinct().ToList());
    }

    /// <summary>The plan's datasets: its suite's when it names one, else its own list.</summary>
    public static IReadOnlyList<DatasetSpec> DatasetsOf(RunPlan plan) =>
        plan.Suite is null ? plan.Datasets : Data.DatasetCatalog.LoadDefault().Suite(plan.Suite).Select(n => new DatasetSpec(n)).ToList();

    /// <summary>Whether a plan dataset is multi-label (scored by mAP over one-vs-rest heads).</summary>
    public static bool IsMultiLabel(DatasetSpec dataset) =>
        Data.DatasetCatalog.LoadDefault().Find(dataset.Name) is { MultiLabel: true };
    private static void CheckMemory(RunPlan plan, RunCell cell) =>
        CheckMemory($"{RunPlanSchema.FlagName("batchSize")} (plan batchSize)", cell.Model.Name, cell.Architecture, cell.Recipe, plan.BatchSize,
            plan.Precision, cell.Choices, plan.Device);

    /// <summary>
    /// Before any work: a batch that cannot fit at the recipe's nominal size is refused (extraction checks again at the real
    /// input size, and on CUDA against the device).
    /// </summary>
    internal static void CheckMemory(string option, string model, Models.IBackboneConfig architecture, string recipeName, int batchSize,
        string precision, IReadOnlyList<LayerChoice> choices, string device)
    {
        var recipe = PreprocessRecipes.Parse(recipeName);
        ExtractionMemory.Check(option, model, architecture, BackboneFamilies.Of(architecture).Parameters(architecture), batchSize,
            recipe.CropHeight ?? recipe.ResizeHeight, recipe.CropWidth ?? recipe.ResizeWidth, PrecisionNames.ElementBytes(precision), choices, device);
    }

    /// <summary>The settings every head unit of <paramref name="plan"/> runs with.</summary>
    public static HeadSettings HeadSettingsOf(RunPlan plan) =>
        new(plan.Seed, plan.Device, plan.BootstrapSamples, plan.LogRegGrid, plan.KnnK,
            plan.DenseSteps, plan.DenseBatchSize, plan.DenseLearningRate, plan.DenseUpsample, plan.SegClassToken);

    /// <summary>What a plan dataset's labels are: its catalog entry's task, or the layout of a dense folder given by path.</summary>
    public static DenseTask TaskOf(DatasetSpec dataset) =>
        Data.DatasetCatalog.LoadDefault().Find(dataset.Name) is { } entry ? entry.DenseTask
        : dataset.Path is not null ? DenseFolders.Detect(dataset.Path)
        : DenseTask.Classification;

    /// <summary>A model spec with its files as absolute paths (unit ids and other processes must see the same files).</summary>
    public static ModelSpec Resolved(ModelSpec spec) => spec with
    {
        Weights = spec.Weights is null || BackboneLoader.IsRandom(spec) ? spec.Weights : Path.GetFullPath(spec.Weights),
        Config = spec.Config is null ? null : Path.GetFullPath(spec.Config),
    };

    /// <summary>A dataset spec with its folder as an absolute path; a name that is a folder path (not a catalog name) is an image folder there.</summary>
    public static DatasetSpec Resolved(DatasetSpec spec) =>
        spec.Path is null && DatasetResolver.IsFolderPath(spec.Name)
            ? new DatasetSpec(DatasetResolver.ImageFolder, Path.GetFullPath(spec.Name))
            : spec with { Path = spec.Path is null ? null : Path.GetFullPath(spec.Path) };

    internal static ExtractUnit Extract(RunPlan plan, RunCell cell, string split, int? limit, string? dense = null) => new ExtractUnit
    {
        Cell = cell.Index, Model = cell.Model, Dataset = cell.Dataset, Split = split, Limit = limit, Seed = plan.Seed,
        Recipe = cell.Recipe, Choices = cell.Choices.Select(c => c.Name).ToList(),
        BatchSize = plan.BatchSize, Device = plan.Device, Precision = plan.Precision, VerifyData = plan.VerifyData, Dense = dense,
    }.WithId();

    /// <summary>A dataset as notes name it: its catalog name, or the folder's name for one given by path.</summary>
    public static string DisplayName(DatasetSpec dataset) =>
        dataset.Path is not null && string.Equals(dataset.Name, DatasetResolver.ImageFolder, StringComparison.OrdinalIgnoreCase)
            ? Path.GetFileName(Path.TrimEndingDirectorySeparator(dataset.Path)) : dataset.Name;

    // A depth or segmentation dataset: its dense heads on the patch@… choices, with the dense mode its estimate allows.
    private static void AddDenseCell(RunPlan plan, ModelSpec model, DatasetSpec dataset, DenseTask task, Models.IBackboneConfig architecture,
        IReadOnlyList<LayerChoice> planChoices, HeadSettings settings, List<RunCell> cells, List<WorkUnit> units, List<string> notes)
    {
        var name = DisplayName(dataset);
        var heads = plan.Heads.Select(HeadRegistry.Get).DistinctBy(h => h.Name).ToList();
        var dense = heads.OfType<DenseHead>().Where(h => h.Task == task).ToList();
        foreach (var skipped in heads.Where(h => !dense.Contains(h)))
            notes.Add($"head {skipped.Name} does not fit {DenseLabels.Name(task)} data; it did not run on {name}");
        if (dense.Count == 0)
        {
            notes.Add($"no head of the plan fits {DenseLabels.Name(task)} data, so {name} was not run (use --heads {(task == DenseTask.Depth ? "depth" : "seg")})");
            return;
        }
        var choices = planChoices.Where(c => c.Readout == LayerReadout.Patch).ToList();
        if (planChoices.Count > choices.Count)
            notes.Add($"{name} is a {DenseLabels.Name(task)} dataset: its dense heads read patch@… choices only ({string.Join(", ", planChoices.Except(choices).Select(c => c.Name))} left out)");
        if (choices.Count == 0)
        {
            choices = LayerChoiceParser.ParseAll(dense.SelectMany(h => h.DefaultChoices).Distinct(), architecture.Depth).ToList();
            notes.Add($"no patch@… layer choice in the plan: {string.Join(", ", dense.Select(h => h.Name))} read {string.Join(", ", choices.Select(c => c.Name))} on {name}");
        }
        var cell = new RunCell(cells.Count, model, dataset, architecture, choices, PlanDefaults.RecipeFor(dataset, plan.Recipe, model, architecture).Name);
        var (mode, note) = DenseMode(plan, cell, task, dense);
        notes.Add(note);
        if (plan.ShardRows is not null)
            notes.Add($"{name} is a {DenseLabels.Name(task)} dataset: its splits are not sharded (shardRows applies to classification splits)");
        cells.Add(cell);
        var train = Extract(plan, cell, "train", plan.LimitTrain, mode);
        var test = Extract(plan, cell, "test", plan.LimitTest, mode);
        units.Add(train);
        units.Add(test);
        foreach (var choice in choices)
            foreach (var head in dense)
                units.Add(new HeadUnit
                {
                    Cell = cell.Index, Head = head.Name, Choices = [choice.Name], TrainUnits = [train.Id], TestUnits = [test.Id], Settings = settings, Dense = mode,
                }.WithId());
    }

    private static (string Mode, string Note) DenseMode(RunPlan plan, RunCell cell, DenseTask task, IReadOnlyList<DenseHead> heads)
    {
        var recipe = PlanDefaults.RecipeFor(cell.Dataset, plan.Recipe, cell.Model, cell.Architecture);
        var sizes = DenseSizes.Of(cell.Dataset, recipe);
        var images = Math.Min(sizes.Train, plan.LimitTrain ?? int.MaxValue) + Math.Min(sizes.Test, plan.LimitTest ?? int.MaxValue);
        var family = Models.BackboneFamilies.Of(cell.Architecture);
        var outputs = task == DenseTask.Depth ? 256 : Math.Max(sizes.Classes, 1);
        var estimate = DensePlanning.Estimate(cell.Architecture, family.Parameters(cell.Architecture), plan.Precision, sizes.Input, images, cell.Choices,
            plan.DenseBatchSize, outputs, task == DenseTask.Depth ? plan.DenseUpsample : 1, Runtime.CacheDirectories.Root(plan.CacheRoot),
            labelChannels: task == DenseTask.Depth ? 1 : outputs);
        return DensePlanning.Decide(plan.Dense, estimate, $"{cell.Model.Name} on {DisplayName(cell.Dataset)} ({string.Join(", ", heads.Select(h => h.Name))})");
    }

    /// <summary>The split's extract unit, or its shards when the plan shards splits larger than <see cref="RunPlan.ShardRows"/>.</summary>
    private static IReadOnlyList<ExtractUnit> Extracts(RunPlan plan, RunCell cell, string split, int? limit)
    {
        var whole = Extract(plan, cell, split, limit);
        if (plan.ShardRows is not { } wanted || limit is { } l && l <= wanted) return [whole];
        var dataRoot = CacheDirectories.DataRoot(plan.DataRoot, plan.CacheRoot);
        var dataset = DatasetResolver.OpenAsync(cell.Dataset, split, dataRoot).GetAwaiter().GetResult();
        var rows = Math.Min(limit ?? int.MaxValue, dataset.Count);
        var size = (int)Math.Min(int.MaxValue, (wanted + (long)plan.BatchSize - 1) / plan.BatchSize * plan.BatchSize);
        if (rows <= size) return [whole];
        var shards = (rows + size - 1) / size;
        return Enumerable.Range(0, shards).Select(k => (whole with { Shard = k, ShardRows = size, Shards = shards }).WithId()).ToList();
    }

    private static IEnumerable<HeadUnit> HeadUnits(RunPlan plan, RunCell cell, IReadOnlyList<ExtractUnit> train, IReadOnlyList<ExtractUnit> test, HeadSettings settings, List<string> notes)
    {
        var heads = plan.Heads.Select(HeadRegistry.Get).DistinctBy(h => h.Name).ToList();
        foreach (var dense in heads.OfType<DenseHead>())
            notes.Add($"head {dense.Name} needs per-pixel {DenseLabels.Name(dense.Task)} labels, which {DisplayName(cell.Dataset)} does not have; it did not run there");
        heads = heads.Where(h => h is not DenseHead).ToList();
        if (IsMultiLabel(cell.Dataset))
        {
            foreach (var skipped in heads.Where(h => !h.SupportsMultiLabel))
                notes.Add($"head {skipped.Name} does not fit multi-label data; it did not run on {cell.Dataset.Name} (use logreg: one-vs-rest, mAP)");
            heads = heads.Where(h => h.SupportsMultiLabel).ToList();
        }
        IReadOnlyList<LayerChoice> Eligible(IProbeHead head)
        {
            var eligible = cell.Choices.Where(c => (c.Readout == LayerReadout.Patch) == (head.Input == HeadInput.PatchGrids)).ToList();
            if (eligible.Count == 0)
                notes.Add(head.Input == HeadInput.PatchGrids
                    ? $"head {head.Name} reads patch grids, but no layer choice is patch@…; it did not run"
                    : $"head {head.Name} reads pooled vectors, but every layer choice is patch@…; it did not run");
            return eligible;
        }
        HeadUnit Unit(IProbeHead head, IEnumerable<LayerChoice> choices) => new HeadUnit
        {
            Cell = cell.Index, Head = head.Name, Choices = choices.Select(c => c.Name).ToList(),
            TrainUnits = train.Select(u => u.Id).ToList(), TestUnits = test.Select(u => u.Id).ToList(), Settings = settings,
        }.WithId();

        var each = heads.Where(h => h.Scope == HeadScope.EachLayerChoice).ToList();
        var eligibleByHead = heads.ToDictionary(h => h.Name, Eligible);
        foreach (var choice in cell.Choices)
            foreach (var head in each.Where(h => eligibleByHead[h.Name].Any(c => c.Name == choice.Name)))
                yield return Unit(head, [choice]);
        foreach (var head in heads.Where(h => h.Scope == HeadScope.AllLayerChoices && eligibleByHead[h.Name].Count > 0))
            yield return Unit(head, eligibleByHead[head.Name]);
        if (cell.Choices.Any(c => c.Readout == LayerReadout.Patch) && heads.All(h => h.Input != HeadInput.PatchGrids))
            notes.Add("patch@… layer choices are extracted, but no head in the plan reads patch grids");
    }
}
