namespace ProbeBench.Core.Results;

/// <summary>The kinds of result a run records.</summary>
public static class ResultKinds
{
    /// <summary>A head's quality on a test split (accuracy.csv).</summary>
    public const string Accuracy = "accuracy";

    /// <summary>One split's feature extraction: speed of the real pipeline (speed.csv).</summary>
    public const string Extraction = "extraction";

    /// <summary>One point of a backbone speed grid with random weights (speed.csv).</summary>
    public const string Bench = "bench";
}

/// <summary>
/// One result: a head on a layer choice of a model and dataset with its metrics (<see cref="ResultKinds.Accuracy"/>), or
/// one speed measurement (<see cref="ResultKinds.Extraction"/>, <see cref="ResultKinds.Bench"/>). Fractions are fractions
/// here; the CSV files state units in their column names (<see cref="ResultColumns"/>). Null is "does not apply" or "not
/// measured". <see cref="Predictions"/> and the timing samples travel in the run folder beside the CSV files, so a compare
/// can pair samples and test timings.
/// </summary>
public sealed record ResultRow
{
    public string Kind { get; init; } = ResultKinds.Accuracy;

    // What was measured.
    public string Model { get; init; } = "";
    /// <summary>The backbone ran with seeded random weights (speed only; its accuracy means nothing).</summary>
    public bool RandomWeights { get; init; }
    public string? Family { get; init; }
    public long? Parameters { get; init; }
    public string? CheckpointSha256 { get; init; }
    public string Dataset { get; init; } = "";
    /// <summary>The dataset was written by <c>probebench synthesize</c>, not the real one.</summary>
    public bool SyntheticData { get; init; }
    public string? DatasetFingerprint { get; init; }
    /// <summary>The split an extraction row measured.</summary>
    public string? Split { get; init; }
    public int? TrainRows { get; init; }
    public int? TestRows { get; init; }
    /// <summary>Classes of the classification task (chance level is 1 / this).</summary>
    public int? Classes { get; init; }

    // The probe.
    /// <summary>The layer choice an accuracy row's head read (for a head that picks among choices: the one it picked);
    /// the blocks a speed row's forward returned.</summary>
    public string LayerChoice { get; init; } = "";
    public int? BlockIndex { get; init; }
    public string Head { get; init; } = "";
    /// <summary>What the head was given to choose from (logreg: its C grid; k-NN: k; linear: its grid over the choices).
    /// Part of the row's identity.</summary>
    public string Setting { get; init; } = "";
    /// <summary>What the head chose on its validation split (C, k, learning rate); a reported value, not part of the identity.</summary>
    public string Chosen { get; init; } = "";
    /// <summary>
    /// The head's answer for this layer choice, its hyper-parameters chosen on a validation split (never on test): the
    /// row verdicts and figures use. A head may add rows at fixed settings beside it (k-NN at every k).
    /// </summary>
    public bool Primary { get; init; }

    // Quality (fractions).
    public double? Top1 { get; init; }
    public double? Top1CiLow { get; init; }
    public double? Top1CiHigh { get; init; }
    public double? Top5 { get; init; }
    public double? BalancedAccuracy { get; init; }
    public double? LogLoss { get; init; }
    /// <summary>The dataset's headline metric as its papers report it (the catalog's: top1, mean-per-class or map11).</summary>
    public string Metric { get; init; } = "";
    public double? MetricValue { get; init; }
    public double? MetricCiLow { get; init; }
    public double? MetricCiHigh { get; init; }

    // Dense heads (depth: the headline metric is rmse, in metres; segmentation: miou). Depth metrics are the mean over test
    // images of each image's metric, as the DINOv2 / mmseg depth toolbox reports them.
    public double? AbsRel { get; init; }
    /// <summary>Mean squared relative error, metres.</summary>
    public double? SqRel { get; init; }
    public double? RmseLog { get; init; }
    public double? Log10 { get; init; }
    /// <summary>Scale-invariant log error, 100 · sqrt(var(ln pred − ln gt)).</summary>
    public double? SiLog { get; init; }
    /// <summary>Share of pixels with max(pred/gt, gt/pred) below 1.25, 1.25², 1.25³ (fractions).</summary>
    public double? Delta1 { get; init; }
    public double? Delta2 { get; init; }
    public double? Delta3 { get; init; }
    /// <summary>Segmentation: mean of the per-class accuracies (mmseg's mAcc) and all pixels' accuracy (aAcc), fractions.</summary>
    public double? MeanAccuracy { get; init; }
    public double? PixelAccuracy { get; init; }
    /// <summary>Dense heads: which training set the head learned from (the paper's numbers may come from another).</summary>
    public string? TrainSet { get; init; }
    /// <summary>Dense heads: a PNG of example predictions beside the ground truth, relative to the run folder (not in the CSV).</summary>
    public string? ExampleFigure { get; init; }

    /// <summary>A digest of the test samples (their order and labels): two rows with the same digest scored the same samples.</summary>
    public string? TestSamples { get; init; }
    /// <summary>The predicted class of every test sample, in order (predictions.jsonl).</summary>
    public IReadOnlyList<int>? Predictions { get; init; }
    /// <summary>The true class of every test sample, in the same order (predictions.jsonl).</summary>
    public IReadOnlyList<int>? TestLabels { get; init; }

    // The head's cost.
    public double? HeadTrainSeconds { get; init; }
    /// <summary>Seconds to score the whole test split in one call.</summary>
    public double? HeadInferSeconds { get; init; }
    public double? HeadSamplesPerSecond { get; init; }
    /// <summary>Median time to score one sample on its own (measured for heads that serve single samples), else null.</summary>
    public double? HeadLatencyMs { get; init; }

    // Speed.
    /// <summary>An extraction whose features all came from the cache: nothing was timed ("not measured").</summary>
    public bool FromCache { get; init; }
    public int? Images { get; init; }
    public int? WarmupBatches { get; init; }
    /// <summary>Images per second: end to end for extraction rows, the median forward rate for bench rows.</summary>
    public double? ImagesPerSecond { get; init; }
    public double? ImagesPerSecondMin { get; init; }
    public double? ImagesPerSecondMax { get; init; }
    public double? BackboneImagesPerSecond { get; init; }
    public double? BatchLatencyP50Ms { get; init; }
    public double? BatchLatencyP95Ms { get; init; }
    public double? BatchLatencyP99Ms { get; init; }
    /// <summary>The first (cold) batches' mean time, kept out of every other figure.</summary>
    public double? ColdBatchMs { get; init; }
    public double? Batch1LatencyP50Ms { get; init; }
    public double? Batch1LatencyP95Ms { get; init; }
    /// <summary>The device's matmul GFLOP/s measured just before (<see cref="Runtime.DeviceSpeed"/>): compare divides rates by it.</summary>
    public double? ReferenceGflops { get; init; }
    /// <summary>The timed (warm) batches, in ms: the sample the compare gate tests.</summary>
    public IReadOnlyList<double> BatchMs { get; init; } = [];
    /// <summary>The timed single-image forwards, in ms.</summary>
    public IReadOnlyList<double> Batch1Ms { get; init; } = [];

    // Settings and machine.
    public int? BatchSize { get; init; }
    public string Precision { get; init; } = "";
    public string Device { get; init; } = "";
    public string Recipe { get; init; } = "";
    public int? Resolution { get; init; }
    public double? GflopPerImage { get; init; }
    public int? Seed { get; init; }
    public int? BootstrapSamples { get; init; }
    public int? Threads { get; init; }
    public string? Cpu { get; init; }
    public double? LoadAverage { get; init; }
    public string? Gpu { get; init; }
    public string? GpuDriver { get; init; }

    /// <summary>The model as tables, CSV and legends show it: random weights say so.</summary>
    public string ModelLabel => RandomWeights ? $"{Model} (random weights)" : Model;

    /// <summary>The dataset as tables, CSV and legends show it: synthetic data says so.</summary>
    public string DatasetLabel => SyntheticData ? $"{Dataset} (synthetic)" : Dataset;

    public bool IsAccuracy => Kind == ResultKinds.Accuracy;

    /// <summary>A dense head's row (depth or segmentation): its headline is <see cref="Metric"/>, with no top-1.</summary>
    public bool IsDense => IsAccuracy && Metric is Kernel.DatasetMetrics.Rmse or Kernel.DatasetMetrics.Miou;

    public bool IsSpeed => Kind is ResultKinds.Extraction or ResultKinds.Bench;

    /// <summary>The setting and the choice in one short text, for tables.</summary>
    public string SettingText => Chosen.Length == 0 ? Setting : Setting.Length == 0 ? Chosen : $"{Setting} → {Chosen}";
}
