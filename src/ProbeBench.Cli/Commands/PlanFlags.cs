using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Heads.LogisticRegression;

namespace ProbeBench.Cli.Commands;

/// <summary>
/// The <c>run</c> flags: one per <see cref="RunPlan"/> field (a test holds the two together), applied over a plan file, and
/// checked by the same <see cref="RunPlanRules"/> as plan files, with errors naming the flag.
/// </summary>
internal sealed class PlanFlags
{
    private readonly CommonOptions _common = new();
    private readonly Option<string?> _heads = new("--heads") { Description = $"Comma list of heads (default logreg,knn): {HeadRegistry.Help}. Dense heads (depth, seg) run on depth and segmentation datasets only." };
    private readonly Option<int?> _limitTrain = LimitTrain();
    private readonly Option<int?> _limitTest = LimitTest();

    public static Option<int?> LimitTrain() => new("--limit-train") { Description = "Use a seeded, stratified subset of this many training images (default: all)." };
    public static Option<int?> LimitTest() => new("--limit-test") { Description = "Use a seeded, stratified subset of this many test images (default: all)." };
    private readonly Option<string?> _out = new("--out") { Description = "Results root (a folder per run is written under it; default results/runs)." };
    private readonly Option<string?> _grid = new("--logreg-grid") { Description = $"Logistic regression C values (default dinov2): {LogisticRegressionGrid.Help}." };
    private readonly Option<string?> _knnK = new("--knn-k") { Description = "Comma list of k-NN neighbour counts (default 10,20,100,200)." };
    private readonly Option<int?> _bootstrap = new("--bootstrap-samples") { Description = "Resamples of each top-1 bootstrap interval (default 1000)." };
    private readonly Option<string?> _suite = new("--suite") { Description = "Run a catalog suite's datasets instead of --dataset: dinov2-linear (the DINOv2 paper's linear-evaluation table; see 'probebench datasets list')." };
    private readonly Option<bool?> _verifyData = new("--verify-data") { Description = "Fingerprint image folders by file contents (SHA-256) instead of sizes and modification times (default off)." };
    private readonly Option<string?> _dense = new("--dense") { Description = "Features of the dense heads (depth, seg): cache (fp16 patch grids in the feature cache, read back in batches), online (the frozen backbone per training step, nothing cached) or auto (default: cache when the disk has room, else online; the run's notes give both estimates)." };
    private readonly Option<int?> _denseSteps = new("--dense-steps") { Description = "Training steps of each dense head (default 2000)." };
    private readonly Option<int?> _denseBatchSize = new("--dense-batch-size") { Description = "Images per training step of the dense heads (default 8)." };
    private readonly Option<double?> _denseLearningRate = new("--dense-learning-rate") { Description = "AdamW learning rate of the dense heads (default 1e-3)." };
    private readonly Option<int?> _denseUpsample = new("--dense-upsample") { Description = "The depth head's bilinear up-sampling of the patch grid before its bins (default 4, as DINOv2; 1 or 2 use less memory)." };
    private readonly Option<bool?> _segClassToken = new("--seg-class-token") { Description = "The segmentation head also reads each block's class token at every patch (default off: patch tokens only)." };
    private readonly Option<int?> _shardRows = new("--shard-rows") { Description = "Images per extract unit: larger splits become shards (rounded up to a multiple of the batch size) that sweep workers run in parallel (default: one unit per split)." };

    /// <summary>The flag of each plan field (a field's models and datasets also take --weights, --model-config and --dataset-path).</summary>
    public IReadOnlyDictionary<string, Option> ByField => new Dictionary<string, Option>
    {
        ["models"] = _common.Model, ["datasets"] = _common.Dataset, ["layers"] = _common.Layers, ["heads"] = _heads,
        ["device"] = _common.Device, ["precision"] = _common.Precision, ["batchSize"] = _common.BatchSize, ["recipe"] = _common.Recipe,
        ["limitTrain"] = _limitTrain, ["limitTest"] = _limitTest, ["seed"] = _common.Seed, ["out"] = _out,
        ["dataRoot"] = _common.DataRoot, ["cacheRoot"] = _common.CacheRoot, ["logRegGrid"] = _grid, ["knnK"] = _knnK,
        ["bootstrapSamples"] = _bootstrap, ["suite"] = _suite, ["verifyData"] = _verifyData, ["shardRows"] = _shardRows,
        ["dense"] = _dense, ["denseSteps"] = _denseSteps, ["denseBatchSize"] = _denseBatchSize, ["denseLearningRate"] = _denseLearningRate,
        ["denseUpsample"] = _denseUpsample, ["segClassToken"] = _segClassToken,
    };

    public IEnumerable<Option> All => _common.All.Concat([_heads, _limitTrain, _limitTest, _out, _grid, _knnK, _bootstrap, _suite, _verifyData, _shardRows,
        _dense, _denseSteps, _denseBatchSize, _denseLearningRate, _denseUpsample, _segClassToken]);

    /// <summary>The plan with every given flag applied over it, checked with errors that name the flag.</summary>
    public RunPlan Apply(RunPlan plan, ParseResult parse)
    {
        var weights = parse.GetValue(_common.Weights);
        var config = parse.GetValue(_common.ModelConfig);
        if (parse.GetValue(_common.Model) is { } models)
        {
            var names = CommonOptions.SplitList(models);
            if (names.Count > 1 && (weights is not null || config is not null))
                throw new ProbeBenchException("--weights and --model-config describe one model; give one --model with them.");
            plan = plan with { Models = names.Select(n => new ModelSpec(n, weights, config)).ToList() };
        }
        else if (weights is not null)
            plan = plan with { Models = [new ModelSpec(Path.GetFileNameWithoutExtension(weights.TrimEnd('/')), weights, config)] };
        else if (config is not null)
            throw new ProbeBenchException("--model-config needs --model or --weights.");
        if (parse.GetValue(_common.Dataset) is { } datasets)
        {
            var names = CommonOptions.SplitList(datasets);
            var path = parse.GetValue(_common.DatasetPath);
            if (names.Count > 1 && path is not null) throw new ProbeBenchException("--dataset-path describes one dataset; give one --dataset with it.");
            plan = plan with { Datasets = names.Select(n => new DatasetSpec(n, path)).ToList() };
        }
        else if (parse.GetValue(_common.DatasetPath) is { } onlyPath)
            plan = plan with { Datasets = [new DatasetSpec(DatasetResolver.ImageFolder, onlyPath)] };

        plan = plan with
        {
            Layers = parse.GetValue(_common.Layers) is { } layers ? CommonOptions.SplitLayers(layers) : plan.Layers,
            Heads = parse.GetValue(_heads) is { } h ? CommonOptions.SplitList(h) : plan.Heads,
            Device = parse.GetValue(_common.Device) ?? plan.Device,
            Precision = parse.GetValue(_common.Precision) ?? plan.Precision,
            BatchSize = parse.GetValue(_common.BatchSize) ?? plan.BatchSize,
            Recipe = parse.GetValue(_common.Recipe) ?? plan.Recipe,
            LimitTrain = parse.GetValue(_limitTrain) ?? plan.LimitTrain,
            LimitTest = parse.GetValue(_limitTest) ?? plan.LimitTest,
            Seed = parse.GetValue(_common.Seed) ?? plan.Seed,
            Out = parse.GetValue(_out) ?? plan.Out,
            DataRoot = parse.GetValue(_common.DataRoot) ?? plan.DataRoot,
            CacheRoot = parse.GetValue(_common.CacheRoot) ?? plan.CacheRoot,
            LogRegGrid = parse.GetValue(_grid) ?? plan.LogRegGrid,
            KnnK = parse.GetValue(_knnK) is { } k ? CommonOptions.SplitIntegers(k, "--knn-k") : plan.KnnK,
            BootstrapSamples = parse.GetValue(_bootstrap) ?? plan.BootstrapSamples,
            Suite = parse.GetValue(_suite) ?? plan.Suite,
            VerifyData = parse.GetValue(_verifyData) ?? plan.VerifyData,
            Dense = parse.GetValue(_dense) ?? plan.Dense,
            DenseSteps = parse.GetValue(_denseSteps) ?? plan.DenseSteps,
            DenseBatchSize = parse.GetValue(_denseBatchSize) ?? plan.DenseBatchSize,
            DenseLearningRate = parse.GetValue(_denseLearningRate) ?? plan.DenseLearningRate,
            DenseUpsample = parse.GetValue(_denseUpsample) ?? plan.DenseUpsample,
            SegClassToken = parse.GetValue(_segClassToken) ?? plan.SegClassToken,
            ShardRows = parse.GetValue(_shardRows) ?? plan.ShardRows,
        };
        // A plan file's values were checked when it was read, so whatever fails here came from a flag.
        var flags = ByField;
        RunPlanRules.Validate(plan, (field, _) => flags[field].Name);
        return plan;
    }
}
