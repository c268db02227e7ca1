using ProbeBench.Core.Probes.Dense;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ProbeBench.Core.Probes.Segmentation;

/// <summary>
/// Trains the linear segmentation probe with AdamW on pixel cross-entropy with ignore index 255, averaged over all
/// pixels of the batch (mmseg's default, avg_non_ignore = false), reading a batch of images per step from an
/// <see cref="IDenseBatchSource"/>; seeded batches and initialisation, so a CPU run repeats exactly.
/// </summary>
public static class SegmentationProbeTrainer
{
    public static SegmentationProbe Train(IDenseBatchSource source, SegmentationProbeOptions options, Action<int, int>? progress = null,
        CancellationToken cancellation = default)
    {
        options.Training.Validate("segmentation probe");
        if (options.Classes is < 1 or > 254)
            throw new ProbeBenchException($"segmentation probe option Classes must be 1 to 254, got {options.Classes}.");
        if (source.Images <= 0) throw new ProbeBenchException("segmentation probe training holds no images.");
        var device = TorchRuntime.ResolveDevice(options.Training.Device);
        using var generator = new Generator((ulong)options.Training.Seed);
        var head = new SegmentationLinearHead(source.Channels, options.Classes, generator, device);
        try
        {
            var losses = DenseTrainingLoop.Run(head, source, options.Training, device, (_, features, labels) =>
            {
                var target = labels.to(ScalarType.Int64);
                var outside = target.ne(options.IgnoreIndex).logical_and(target.ge(options.Classes).logical_or(target.lt(0)));
                if (outside.any().item<bool>())
                    throw new ProbeBenchException($"segmentation labels hold a class outside 0..{options.Classes - 1} (and {options.IgnoreIndex} for ignored pixels).");
                var logits = head.Logits(features, source.LabelHeight, source.LabelWidth);
                return functional.cross_entropy(logits, target, ignore_index: options.IgnoreIndex, reduction: Reduction.None).mean();
            }, progress, cancellation);
            return new SegmentationProbe(head, device, options, source.Channels, losses);
        }
        catch
        {
            head.Dispose();
            throw;
        }
    }
}

/// <summary>A trained linear segmentation probe: class maps for a source's images.</summary>
public sealed class SegmentationProbe : IDisposable
{
    private readonly SegmentationLinearHead head;
    private readonly Device device;

    internal SegmentationProbe(SegmentationLinearHead head, Device device, SegmentationProbeOptions options, int channels, IReadOnlyList<double> losses)
    {
        this.head = head;
        this.device = device;
        Options = options;
        Channels = channels;
        Losses = losses;
    }

    public SegmentationProbeOptions Options { get; }
    public int Channels { get; }
    public IReadOnlyList<double> Losses { get; }

    /// <summary>The predicted class of every pixel of every image at its label size, one batch at a time, in image order.</summary>
    public void Predict(IDenseBatchSource source, Action<long[], int[]> onBatch, int batchSize = 8, CancellationToken cancellation = default)
    {
        if (source.Channels != Channels)
            throw new ProbeBenchException($"segmentation probe input has {source.Channels} channels but the probe was trained on {Channels}.");
        head.eval();
        using var noGrad = no_grad();
        foreach (var images in DenseBatchOrder.InOrder(source.Images, batchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var classes = head.Logits(source.Features(images, device), source.LabelHeight, source.LabelWidth).argmax(1).to(ScalarType.Int32);
            onBatch(images, TensorCopy.ToArray<int>(classes));
        }
    }

    public void Dispose() => head.Dispose();
}
