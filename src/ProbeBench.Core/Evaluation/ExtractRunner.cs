using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation;

/// <summary>Runs an <see cref="ExtractRequest"/> as extract work units, one per split, through the same runner a run uses.</summary>
public static class ExtractRunner
{
    /// <summary>Shows progress for one split's extraction; the CLI renders it, tests pass a plain one.</summary>
    public delegate SplitFeatures ProgressScope(string title, Func<IProgress<ExtractionProgress>?, SplitFeatures> work);

    public static async Task<IReadOnlyList<UnitRecord>> RunAsync(ExtractRequest request, RunCallbacks? callbacks = null, CancellationToken cancellation = default)
    {
        CheckSetting("batchSize", request.BatchSize);
        CheckSetting("precision", request.Precision);
        CheckSetting("device", request.Device);
        if (request.LimitTrain is { } limitTrain) CheckSetting("limitTrain", limitTrain);
        if (request.LimitTest is { } limitTest) CheckSetting("limitTest", limitTest);
        foreach (var layer in request.Layers) CheckSetting("layers", layer);
        if (request.Recipe is { } recipe) CheckSetting("recipe", recipe);
        if (request.Splits.Count == 0) throw new ProbeBenchException("--splits names no split.");
        // Like a run's: extracting no layer choice would report success having done nothing.
        if (request.Layers.Count == 0) throw new ProbeBenchException("--layers: the list is empty.");

        request = request with { Device = TorchRuntime.ResolveDeviceName(request.Device, out var why) };
        if (why.Length > 0) callbacks?.Log?.Invoke(why);
        var model = PlanExpander.Resolved(request.Model);
        var dataset = PlanExpander.Resolved(request.Dataset);
        var architecture = BackboneLoader.Describe(model);
        var choices = LayerChoiceParser.ParseAll(request.Layers, architecture.Depth).Select(c => c.Name).ToList();
        var recipeName = PlanDefaults.RecipeFor(dataset, request.Recipe, model, architecture).Name;
        PlanExpander.CheckMemory("--batch-size", model.Name, architecture, recipeName, request.BatchSize, request.Precision,
            LayerChoiceParser.ParseAll(request.Layers, architecture.Depth), request.Device);
        var cacheRoot = CacheDirectories.Root(request.CacheRoot);
        using var runner = new UnitRunner(cacheRoot, CacheDirectories.DataRoot(request.DataRoot, cacheRoot), callbacks);
        var records = new List<UnitRecord>();
        foreach (var split in request.Splits)
        {
            var unit = new ExtractUnit
            {
                Model = model, Dataset = dataset, Split = split, Seed = request.Seed, Recipe = recipeName,
                Limit = split == "train" ? request.LimitTrain : split == "test" ? request.LimitTest : null,
                Choices = choices, BatchSize = request.BatchSize, Device = request.Device, Precision = request.Precision,
                StorageType = request.StorageType,
            }.WithId();
            records.Add(await runner.ExtractAsync(unit, cancellation));
        }
        return records;
    }

    private static void CheckSetting(string field, object value, string? flag = null)
    {
        if (RunPlanRules.Check(field, value) is { } problem) throw new ProbeBenchException($"{flag ?? RunPlanSchema.FlagName(field)}: {problem}.");
    }
}
