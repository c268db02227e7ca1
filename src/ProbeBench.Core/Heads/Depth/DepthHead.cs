using System.Diagnostics;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads.Dense;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Depth;

/// <summary>
/// DINOv2's depth linear probe on patch grids: each block's patch tokens with its class token concatenated, ×4 bilinear
/// up-sampling, a 1×1 convolution to 256 bins with linear normalisation, SigLoss (see <see cref="DepthProbeTrainer"/>).
/// lin. 1 is <c>patch@lin1</c>, lin. 4 <c>patch@lin4</c>; any <c>patch@&lt;block&gt;</c> gives RMSE at that block.
/// </summary>
public sealed class DepthHead() : DenseHead("depth",
    "DINOv2 depth linear probe: patch tokens + class token of the choice's blocks, ×4 bilinear up-sampling, 256 bins with linear normalisation, SigLoss, AdamW; RMSE (m) and the NYU metrics, mean over test images",
    DenseTask.Depth, "dense", "denseSteps", "denseBatchSize", "denseLearningRate", "denseUpsample")
{
    public const double DefaultLearningRate = 1e-3;

    public override IReadOnlyList<ResultRow> RunDense(LayerChoice choice, DenseSplit train, DenseSplit test, HeadContext context)
    {
        var settings = context.Settings;
        var targets = test.Targets;
        var options = new DepthProbeOptions
        {
            MinDepth = targets.MinDepth, MaxDepth = targets.MaxDepth, FeatureUpsample = settings.DenseUpsample,
            Steps = settings.DenseSteps, BatchSize = settings.DenseBatchSize, LearningRate = settings.DenseLearningRate ?? DefaultLearningRate,
            WeightDecay = 0.01, WarmupFraction = 0.1, WarmUpSteps = Math.Min(100, settings.DenseSteps / 10),
            Seed = settings.Seed, Device = settings.Device,
        };
        context.Status?.Invoke($"depth probe on {choice.Name}: {options.Steps} steps of {options.BatchSize} images");
        var clock = Stopwatch.StartNew();
        using var probe = DepthProbeTrainer.Train(new DenseBatches(train, withClassToken: true), options, context.Progress, context.Cancellation);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var scoring = new DepthScoring(options.MinDepth, options.MaxDepth);
        var reader = new DensePredictionReader<float>(test, options.BatchSize, (predicted, truth) => scoring.AddImage(predicted, truth), v => v);
        probe.Predict(new DenseBatches(test, withClassToken: true), reader.OnBatch, options.BatchSize, context.Cancellation);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        var score = scoring.Result(DenseRows.Bootstrap(settings));
        context.Log?.Invoke($"{choice.Name}: depth RMSE {score.PerImage.Rmse:F4} m (mean over {score.ScoredImages} images; pooled over pixels {score.Pooled.Rmse:F4} m)");

        var (path, relative) = DenseRows.Figure(context, Name, choice);
        if (path is not null) DenseExampleFigures.WriteDepth(path, reader.Examples, options.MinDepth, options.MaxDepth);
        var m = score.PerImage;
        return
        [
            context.RowFor(Name, choice) with
            {
                Setting = $"{options.Steps} steps × {options.BatchSize}, lr {DenseRows.Rate(options.LearningRate)}, ×{options.FeatureUpsample} up-sampling, {options.Bins} bins",
                Primary = true,
                Metric = DatasetMetrics.Rmse, MetricValue = m.Rmse, MetricCiLow = score.RmseCiLow, MetricCiHigh = score.RmseCiHigh,
                AbsRel = m.AbsRel, SqRel = m.SqRel, RmseLog = m.RmseLog, Log10 = m.Log10, SiLog = m.SiLog, Delta1 = m.A1, Delta2 = m.A2, Delta3 = m.A3,
                HeadTrainSeconds = trainSeconds, HeadInferSeconds = inferSeconds, HeadSamplesPerSecond = score.Images / Math.Max(inferSeconds, 1e-9),
                BootstrapSamples = settings.BootstrapSamples, Seed = settings.Seed, TrainSet = train.Targets.About, ExampleFigure = path is null ? null : relative,
            },
        ];
    }
}
