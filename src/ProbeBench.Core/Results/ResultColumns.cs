using System.Globalization;

namespace ProbeBench.Core.Results;

/// <summary>One column of accuracy.csv or speed.csv: its name (snake_case, unit in the name), what it means, how a row fills it.</summary>
/// <param name="Optional">A column added within a schema version: a file without it reads as if every cell were empty.</param>
public sealed record ResultColumn(string Name, string Meaning, Func<ResultRow, string> Get, Func<ResultRow, string, ResultRow> Set, bool Optional = false);

/// <summary>
/// The two results files' columns, in order (docs/results.md lists them; a test holds the two together). Every column has
/// one meaning; an empty cell means "does not apply" or "not measured".
/// </summary>
public static class ResultColumns
{
    /// <summary>Bumped when a column changes meaning or goes away; readers refuse other versions by name.</summary>
    public const int SchemaVersion = 2;

    public const string AccuracyFile = "accuracy.csv";
    public const string SpeedFile = "speed.csv";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static ResultColumn Text(string name, string meaning, Func<ResultRow, string?> get, Func<ResultRow, string, ResultRow> set) =>
        new(name, meaning, r => get(r) ?? "", set);

    private static ResultColumn Int(string name, string meaning, Func<ResultRow, int?> get, Func<ResultRow, int?, ResultRow> set) =>
        new(name, meaning, r => get(r)?.ToString(Invariant) ?? "", (r, v) => set(r, v.Length == 0 ? null : int.Parse(v, NumberStyles.AllowLeadingSign, Invariant)));

    private static ResultColumn Long(string name, string meaning, Func<ResultRow, long?> get, Func<ResultRow, long?, ResultRow> set) =>
        new(name, meaning, r => get(r)?.ToString(Invariant) ?? "", (r, v) => set(r, v.Length == 0 ? null : long.Parse(v, NumberStyles.AllowLeadingSign, Invariant)));

    private static ResultColumn Number(string name, string meaning, Func<ResultRow, double?> get, Func<ResultRow, double?, ResultRow> set) =>
        new(name, meaning, r => Format(get(r)), (r, v) => set(r, ParseNumber(v)));

    /// <summary>A fraction shown as a percentage.</summary>
    private static ResultColumn Percent(string name, string meaning, Func<ResultRow, double?> get, Func<ResultRow, double?, ResultRow> set) =>
        new(name, meaning, r => Format(get(r) * 100), (r, v) => set(r, ParseNumber(v) / 100));

    /// <summary>Written as true or false, always; read back only as exactly that (a typo is not false).</summary>
    private static ResultColumn Flag(string name, string meaning, Func<ResultRow, bool> get, Func<ResultRow, bool, ResultRow> set) =>
        new(name, meaning, r => get(r) ? "true" : "false", (r, v) => set(r, v switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException("a flag is true or false"),
        }));

    private static ResultColumn Sample(string name, string meaning, Func<ResultRow, IReadOnlyList<double>> get, Func<ResultRow, IReadOnlyList<double>, ResultRow> set) =>
        new(name, meaning, r => string.Join(';', get(r).Select(x => x.ToString("R", Invariant))),
            (r, v) => set(r, v.Length == 0 ? [] : v.Split(';').Select(x => ParseNumber(x) ?? double.NaN).ToList()));

    private static string Format(double? value) => value switch
    {
        null => "",
        { } v when double.IsNaN(v) => "NaN",
        { } v => v.ToString("G10", Invariant),
    };

    internal static double? ParseNumber(string text) =>
        text.Length == 0 ? null
        : double.TryParse(text, NumberStyles.Float, Invariant, out var value) ? value
        : throw new FormatException($"'{text}' is not a number");

    private static readonly ResultColumn Version = new("schema_version", $"the results schema ({SchemaVersion})", _ => SchemaVersion.ToString(Invariant), (r, _) => r);

    /// <summary>A metric column in %, filled only for metrics that are fractions (not rmse).</summary>
    private static ResultColumn FractionMetric(string name, string meaning, Func<ResultRow, double?> get, Func<ResultRow, double?, ResultRow> set) =>
        new(name, meaning, r => Kernel.DatasetMetrics.IsFraction(r.Metric) ? Format(get(r) * 100) : "",
            (r, v) => Kernel.DatasetMetrics.IsFraction(r.Metric) ? set(r, ParseNumber(v) / 100) : r);

    /// <summary>The depth headline in metres, filled only for rmse rows (it is the row's metric value).</summary>
    private static ResultColumn RmseMetric(string name, string meaning, Func<ResultRow, double?> get, Func<ResultRow, double?, ResultRow> set) =>
        new(name, meaning, r => r.Metric == Kernel.DatasetMetrics.Rmse ? Format(get(r)) : "",
            (r, v) => r.Metric == Kernel.DatasetMetrics.Rmse ? set(r, ParseNumber(v)) : r, Optional: true);

    private static ResultColumn Optional(ResultColumn column) => column with { Optional = true };

    /// <summary>The dense heads' columns (depth: NYU's metrics, mean over test images; segmentation: mmseg's mAcc and aAcc).</summary>
    private static readonly ResultColumn[] Dense =
    [
        RmseMetric("rmse_m", "depth: root-mean-square error, metres (each test image's over its valid pixels, then the mean over images)", r => r.MetricValue, (r, v) => r with { MetricValue = v }),
        RmseMetric("rmse_ci_low_m", "depth: lower end of the seeded 95% bootstrap interval of rmse_m over test images, metres", r => r.MetricCiLow, (r, v) => r with { MetricCiLow = v }),
        RmseMetric("rmse_ci_high_m", "depth: upper end of that interval, metres", r => r.MetricCiHigh, (r, v) => r with { MetricCiHigh = v }),
        Optional(Number("abs_rel", "depth: mean |pred − gt| / gt (a ratio)", r => r.AbsRel, (r, v) => r with { AbsRel = v })),
        Optional(Number("sq_rel_m", "depth: mean (pred − gt)² / gt, metres", r => r.SqRel, (r, v) => r with { SqRel = v })),
        Optional(Number("rmse_log", "depth: root-mean-square error of ln depth", r => r.RmseLog, (r, v) => r with { RmseLog = v })),
        Optional(Number("log10", "depth: mean |log10 pred − log10 gt|", r => r.Log10, (r, v) => r with { Log10 = v })),
        Optional(Number("silog", "depth: scale-invariant log error, 100 · sqrt(var(ln pred − ln gt))", r => r.SiLog, (r, v) => r with { SiLog = v })),
        Optional(Percent("delta1_pct", "depth: pixels with max(pred/gt, gt/pred) < 1.25, %", r => r.Delta1, (r, v) => r with { Delta1 = v })),
        Optional(Percent("delta2_pct", "depth: the same below 1.25², %", r => r.Delta2, (r, v) => r with { Delta2 = v })),
        Optional(Percent("delta3_pct", "depth: the same below 1.25³, %", r => r.Delta3, (r, v) => r with { Delta3 = v })),
        Optional(Percent("macc_pct", "segmentation: mean over classes of each class's pixel accuracy (mmseg's mAcc; classes never labelled are skipped), %", r => r.MeanAccuracy, (r, v) => r with { MeanAccuracy = v })),
        Optional(Percent("aacc_pct", "segmentation: correct pixels over all labelled pixels (mmseg's aAcc), %", r => r.PixelAccuracy, (r, v) => r with { PixelAccuracy = v })),
        Optional(Text("train_set", "dense heads: the training set the head learned from (a paper's numbers may come from a larger one)", r => r.TrainSet, (r, v) => r with { TrainSet = v.Length == 0 ? null : v })),
    ];

    private static readonly ResultColumn[] Model =
    [
        Text("model", "the backbone's name in the plan", r => r.Model, (r, v) => r with { Model = v }),
        Text("model_label", "the model as tables show it: \"(random weights)\" when it had no trained weights", r => r.ModelLabel, (r, _) => r),
        Flag("random_weights", "the backbone had seeded random weights (speed only)", r => r.RandomWeights, (r, v) => r with { RandomWeights = v }),
        Text("family", "the backbone family (dinov2, ...)", r => r.Family, (r, v) => r with { Family = v.Length == 0 ? null : v }),
        Long("parameters", "backbone parameters", r => r.Parameters, (r, v) => r with { Parameters = v }),
        Text("checkpoint_sha256", "sha256 of the checkpoint file (random-seed<N> for random weights)", r => r.CheckpointSha256, (r, v) => r with { CheckpointSha256 = v.Length == 0 ? null : v }),
    ];

    private static readonly ResultColumn[] Data =
    [
        Text("dataset", "the dataset's name", r => r.Dataset, (r, v) => r with { Dataset = v }),
        Text("dataset_label", "the dataset as tables show it: \"(synthetic)\" for data made by probebench synthesize", r => r.DatasetLabel, (r, _) => r),
        Flag("synthetic_data", "the data was synthesized, not the real dataset", r => r.SyntheticData, (r, v) => r with { SyntheticData = v }),
        Text("dataset_fingerprint", "digest of what the split(s) hold (files, labels, order)", r => r.DatasetFingerprint, (r, v) => r with { DatasetFingerprint = v.Length == 0 ? null : v }),
    ];

    private static readonly ResultColumn[] Settings =
    [
        Int("batch_size", "images per forward pass", r => r.BatchSize, (r, v) => r with { BatchSize = v }),
        Text("precision", "backbone compute precision", r => r.Precision, (r, v) => r with { Precision = v }),
        Text("device", "cpu, cuda:N", r => r.Device, (r, v) => r with { Device = v }),
        Text("recipe", "preprocessing recipe", r => r.Recipe, (r, v) => r with { Recipe = v }),
        Int("resolution_px", "network input side in pixels (height for non-square inputs)", r => r.Resolution, (r, v) => r with { Resolution = v }),
        Number("gflop_per_image", "matrix-multiply GFLOP of one forward pass at that resolution", r => r.GflopPerImage, (r, v) => r with { GflopPerImage = v }),
        Int("seed", "the run's seed (subsets, splits, heads, bootstrap)", r => r.Seed, (r, v) => r with { Seed = v }),
    ];

    private static readonly ResultColumn[] Machine =
    [
        Int("threads", "CPU threads the process had", r => r.Threads, (r, v) => r with { Threads = v }),
        Text("cpu", "CPU model", r => r.Cpu, (r, v) => r with { Cpu = v.Length == 0 ? null : v }),
        Number("load_avg_1m", "the machine's 1-minute load average when the measurement started", r => r.LoadAverage, (r, v) => r with { LoadAverage = v }),
        Text("gpu", "GPU model (CUDA runs)", r => r.Gpu, (r, v) => r with { Gpu = v.Length == 0 ? null : v }),
        Text("gpu_driver", "GPU driver version", r => r.GpuDriver, (r, v) => r with { GpuDriver = v.Length == 0 ? null : v }),
    ];

    /// <summary>Both files' columns as Markdown tables (docs/results.md holds this text; <c>probebench results schema</c> prints it).</summary>
    public static string Markdown()
    {
        var md = new System.Text.StringBuilder();
        foreach (var (file, columns, what) in new[]
                 {
                     (AccuracyFile, Accuracy, "one row per model × dataset × layer choice × head × setting"),
                     (SpeedFile, Speed, "one row per extraction of a split (kind extraction) or per bench grid point (kind bench)"),
                 })
        {
            md.Append($"### {file}\n\n{what}.\n\n| column | meaning |\n|---|---|\n");
            foreach (var c in columns) md.Append($"| `{c.Name}` | {c.Meaning} |\n");
            md.Append('\n');
        }
        return md.ToString();
    }

    /// <summary>accuracy.csv: one row per model × dataset × layer choice × head × setting.</summary>
    public static IReadOnlyList<ResultColumn> Accuracy { get; } =
    [
        Version, .. Model, .. Data,
        Int("train_rows", "training images (after any limit)", r => r.TrainRows, (r, v) => r with { TrainRows = v }),
        Int("test_rows", "test images (after any limit)", r => r.TestRows, (r, v) => r with { TestRows = v }),
        Int("classes", "classes of the task (chance level is 100 / classes %)", r => r.Classes, (r, v) => r with { Classes = v }),
        Text("layer_choice", "the features the head read (a head that picks among choices: \"best of N\")", r => r.LayerChoice, (r, v) => r with { LayerChoice = v }),
        Int("block_index", "the block of a single-block layer choice (0-based)", r => r.BlockIndex, (r, v) => r with { BlockIndex = v }),
        Text("head", "the probe head", r => r.Head, (r, v) => r with { Head = v }),
        Text("setting", "what the head chose from (C grid, k, learning-rate grid); part of the row's identity", r => r.Setting, (r, v) => r with { Setting = v }),
        Text("chosen", "what the head chose on its validation split (never on test)", r => r.Chosen, (r, v) => r with { Chosen = v }),
        Flag("primary", "the head's answer for this layer choice (hyper-parameters chosen on validation); other rows are fixed settings beside it", r => r.Primary, (r, v) => r with { Primary = v }),
        Percent("top1_pct", "top-1 accuracy, %", r => r.Top1, (r, v) => r with { Top1 = v }),
        Percent("top1_ci_low_pct", "lower end of the seeded 95% bootstrap interval of top-1, %", r => r.Top1CiLow, (r, v) => r with { Top1CiLow = v }),
        Percent("top1_ci_high_pct", "upper end of that interval, %", r => r.Top1CiHigh, (r, v) => r with { Top1CiHigh = v }),
        Percent("top5_pct", "top-5 accuracy, %", r => r.Top5, (r, v) => r with { Top5 = v }),
        Percent("balanced_accuracy_pct", "mean of the per-class accuracies, %", r => r.BalancedAccuracy, (r, v) => r with { BalancedAccuracy = v }),
        Number("log_loss", "mean negative log-probability of the label (heads that output probabilities)", r => r.LogLoss, (r, v) => r with { LogLoss = v }),
        Text("metric", "the dataset's headline metric as its papers report it: top1, mean-per-class, map11, miou (segmentation) or rmse (depth, lower is better)", r => r.Metric, (r, v) => r with { Metric = v }),
        FractionMetric("metric_pct", "that metric, % (empty for rmse, which is in rmse_m)", r => r.MetricValue, (r, v) => r with { MetricValue = v }),
        FractionMetric("metric_ci_low_pct", "lower end of its seeded 95% bootstrap interval, %", r => r.MetricCiLow, (r, v) => r with { MetricCiLow = v }),
        FractionMetric("metric_ci_high_pct", "upper end of that interval, %", r => r.MetricCiHigh, (r, v) => r with { MetricCiHigh = v }),
        .. Dense,
        Text("test_samples", "digest of the scored test samples (order and labels): equal digests, same samples", r => r.TestSamples, (r, v) => r with { TestSamples = v.Length == 0 ? null : v }),
        Number("head_train_s", "seconds for the head's whole training protocol (sweeps and refits included)", r => r.HeadTrainSeconds, (r, v) => r with { HeadTrainSeconds = v }),
        Number("head_infer_s", "seconds to score the whole test split in one call", r => r.HeadInferSeconds, (r, v) => r with { HeadInferSeconds = v }),
        Number("head_samples_per_s", "test samples scored per second in that call", r => r.HeadSamplesPerSecond, (r, v) => r with { HeadSamplesPerSecond = v }),
        Number("head_latency_ms", "median time to score one sample on its own (heads that serve single samples)", r => r.HeadLatencyMs, (r, v) => r with { HeadLatencyMs = v }),
        Int("bootstrap_samples", "resamples of the bootstrap interval", r => r.BootstrapSamples, (r, v) => r with { BootstrapSamples = v }),
        .. Settings,
    ];

    /// <summary>speed.csv: one row per extraction of a split, or per bench grid point.</summary>
    public static IReadOnlyList<ResultColumn> Speed { get; } =
    [
        Version,
        Text("kind", "extraction (a run's real pipeline) or bench (backbone only, random weights)", r => r.Kind, (r, v) => r with { Kind = v }),
        .. Model, .. Data,
        Text("split", "the split an extraction read", r => r.Split, (r, v) => r with { Split = v.Length == 0 ? null : v }),
        Text("blocks", "the blocks each forward returned", r => r.LayerChoice, (r, v) => r with { LayerChoice = v }),
        Flag("from_cache", "every feature came from the cache: nothing was timed", r => r.FromCache, (r, v) => r with { FromCache = v }),
        Int("images", "images timed", r => r.Images, (r, v) => r with { Images = v }),
        Int("warmup_batches", "batches run before timing", r => r.WarmupBatches, (r, v) => r with { WarmupBatches = v }),
        Number("img_per_s", "images per second: end to end (extraction) or the median forward rate (bench)", r => r.ImagesPerSecond, (r, v) => r with { ImagesPerSecond = v }),
        Number("img_per_s_min", "slowest timed batch's rate", r => r.ImagesPerSecondMin, (r, v) => r with { ImagesPerSecondMin = v }),
        Number("img_per_s_max", "fastest timed batch's rate", r => r.ImagesPerSecondMax, (r, v) => r with { ImagesPerSecondMax = v }),
        Number("backbone_img_per_s", "images per second counting only the forward pass", r => r.BackboneImagesPerSecond, (r, v) => r with { BackboneImagesPerSecond = v }),
        Number("batch_latency_p50_ms", "median batch time, ms", r => r.BatchLatencyP50Ms, (r, v) => r with { BatchLatencyP50Ms = v }),
        Number("batch_latency_p95_ms", "95th percentile batch time, ms", r => r.BatchLatencyP95Ms, (r, v) => r with { BatchLatencyP95Ms = v }),
        Number("batch_latency_p99_ms", "99th percentile batch time, ms", r => r.BatchLatencyP99Ms, (r, v) => r with { BatchLatencyP99Ms = v }),
        Number("cold_batch_ms", "the first (cold) batches' mean time, kept out of the other figures", r => r.ColdBatchMs, (r, v) => r with { ColdBatchMs = v }),
        Number("batch1_latency_p50_ms", "median single-image forward, ms", r => r.Batch1LatencyP50Ms, (r, v) => r with { Batch1LatencyP50Ms = v }),
        Number("batch1_latency_p95_ms", "95th percentile single-image forward, ms", r => r.Batch1LatencyP95Ms, (r, v) => r with { Batch1LatencyP95Ms = v }),
        .. Settings, .. Machine,
        Number("reference_gflops", "the device's fp32 matmul GFLOP/s measured just before: compare judges speed relative to it", r => r.ReferenceGflops, (r, v) => r with { ReferenceGflops = v }),
        Sample("batch_ms", "every timed batch, ms, ';'-separated (the sample the compare gate tests)", r => r.BatchMs, (r, v) => r with { BatchMs = v }),
        Sample("batch1_ms", "every timed single-image forward, ms, ';'-separated", r => r.Batch1Ms, (r, v) => r with { Batch1Ms = v }),
    ];
}
