using System.Diagnostics;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads.Dense;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes.Dense;
using ProbeBench.Core.Probes.Segmentation;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Segmentation;

/// <summary>
/// DINOv2's linear semantic segmentation: BatchNorm and a 1×1 convolution on the patch tokens of the choice's blocks (the
/// last one: "linear"; the last four: <c>patch@last4</c>), optionally with the class token at every patch, logits resized
/// bilinearly to the label size, cross-entropy with ignore index 255; mIoU, mAcc and aAcc as mmseg computes them.
/// </summary>
public sealed class SegmentationHead() : DenseHead("seg",
    "linear semantic segmentation: BatchNorm + 1×1 convolution on the patch tokens (segClassToken: + class token), logits resized bilinearly to the labels, cross-entropy ignoring 255, AdamW; mIoU, mAcc, aAcc as mmseg computes them",
    DenseTask.Segmentation, "dense", "denseSteps", "denseBatchSize", "denseLearningRate", "segClassToken")
{
    public const double DefaultLearningRate = 1e-3;

    public override IReadOnlyList<string> DefaultChoices => ["patch@last", "patch@last4"];

    public override IReadOnlyList<ResultRow> RunDense(LayerChoice choice, DenseSplit train, DenseSplit test, HeadContext context)
    {
        var settings = context.Settings;
        var targets = test.Targets;
        var classes = targets.ClassNames.Count;
        var options = new SegmentationProbeOptions
        {
            Classes = classes,
            Training = new DenseTrainingOptions
            {
                Steps = settings.DenseSteps, BatchSize = settings.DenseBatchSize, LearningRate = settings.DenseLearningRate ?? DefaultLearningRate,
                WeightDecay = 1e-4, WarmupFraction = 0.1, Seed = settings.Seed, Device = settings.Device,
            },
        };
        var training = options.Training;
        context.Status?.Invoke($"segmentation probe on {choice.Name}: {training.Steps} steps of {training.BatchSize} images, {classes} classes");
        var clock = Stopwatch.StartNew();
        using var probe = SegmentationProbeTrainer.Train(new DenseBatches(train, settings.SegClassToken), options, context.Progress, context.Cancellation);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var scoring = new SegmentationScoring(classes, DenseLabels.Ignore);
        var reader = new DensePredictionReader<int>(test, training.BatchSize, (predicted, truth) => scoring.AddImage(predicted, truth), c => c);
        probe.Predict(new DenseBatches(test, settings.SegClassToken), reader.OnBatch, training.BatchSize, context.Cancellation);
        var inferSeconds = clock.Elapsed.TotalSeconds;
        var metrics = scoring.Result(DenseRows.Bootstrap(settings));
        context.Log?.Invoke($"{choice.Name}: mIoU {100 * metrics.MeanIou:F2} %, mAcc {100 * metrics.MeanAccuracy:F2} %, aAcc {100 * metrics.AllAccuracy:F2} % over {metrics.Images} images");

        var (path, relative) = DenseRows.Figure(context, Name, choice);
        if (path is not null) DenseExampleFigures.WriteSegmentation(path, reader.Examples, DenseLabels.Ignore);
        return
        [
            context.RowFor(Name, choice) with
            {
                Setting = $"{training.Steps} steps × {training.BatchSize}, lr {DenseRows.Rate(training.LearningRate)}{(settings.SegClassToken ? ", + class token" : "")}",
                Primary = true, Classes = classes,
                Metric = DatasetMetrics.Miou, MetricValue = metrics.MeanIou, MetricCiLow = metrics.MeanIouCiLow, MetricCiHigh = metrics.MeanIouCiHigh,
                MeanAccuracy = metrics.MeanAccuracy, PixelAccuracy = metrics.AllAccuracy,
                HeadTrainSeconds = trainSeconds, HeadInferSeconds = inferSeconds, HeadSamplesPerSecond = metrics.Images / Math.Max(inferSeconds, 1e-9),
                BootstrapSamples = settings.BootstrapSamples, Seed = settings.Seed, TrainSet = train.Targets.About, ExampleFigure = path is null ? null : relative,
            },
        ];
    }
}
