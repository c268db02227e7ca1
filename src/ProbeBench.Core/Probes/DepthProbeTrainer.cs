using ProbeBench.Core.Probes.Dense;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// Trains the DINOv2 depth linear probe ("lin. 1" with one block's features, "lin. 4" with four) with AdamW on
/// <see cref="DepthSigLoss"/>, reading a batch of images per step from an <see cref="IDenseBatchSource"/> (so the split
/// never has to fit in memory); batches come from seeded per-epoch shuffles and parameters from a seeded generator, so a
/// CPU run repeats exactly.
/// </summary>
public static class DepthProbeTrainer
{
    /// <summary>Trains on features and depth held in memory (tests, small sets).</summary>
    public static DepthProbe Train(DepthFeatureBatch features, DepthMaps depth, DepthProbeOptions? options = null)
    {
        options ??= new DepthProbeOptions();
        features.Validate("depth probe train features");
        depth.Validate("depth probe train labels");
        if (depth.Images != features.Images)
            throw new ProbeBenchException($"depth probe train labels hold {depth.Images} maps for {features.Images} feature images.");
        using var source = new InMemoryDepthBatches(features, depth);
        return Train(source, options);
    }

    public static DepthProbe Train(IDenseBatchSource source, DepthProbeOptions? options = null, Action<int, int>? progress = null,
        CancellationToken cancellation = default)
    {
        options ??= new DepthProbeOptions();
        CheckOptions(options);
        if (source.Images <= 0) throw new ProbeBenchException("depth probe training holds no images.");
        var device = TorchRuntime.ResolveDevice(options.Device);
        using var generator = new Generator((ulong)options.Seed);
        var head = new DepthLinearHead(source.Channels, options, generator, device);
        try
        {
            var losses = DenseTrainingLoop.Run(head, source, options.Training, device, (step, features, labels) =>
            {
                var predicted = head.Depth(features, source.LabelHeight, source.LabelWidth);
                return DepthSigLoss.Compute(predicted, labels.unsqueeze(1), options.MinDepth, options.MaxDepth, warmUp: step < options.WarmUpSteps);
            }, progress, cancellation);
            if (losses.All(double.IsNaN))
                throw new ProbeBenchException($"depth probe training saw no pixel inside the valid range ({options.MinDepth}, {options.MaxDepth}) in any batch.");
            return new DepthProbe(head, device, options, source.Channels, losses);
        }
        catch
        {
            head.Dispose();
            throw;
        }
    }

    private static void CheckOptions(DepthProbeOptions options)
    {
        options.Training.Validate("depth probe");
        if (!(options.MinDepth >= 0) || !(options.MaxDepth > options.MinDepth))
            throw new ProbeBenchException($"depth probe options MinDepth {options.MinDepth} and MaxDepth {options.MaxDepth} do not form a range.");
        if (options.Output == DepthHeadOutput.Bins && options.Bins < 2)
            throw new ProbeBenchException($"depth probe option Bins must be at least 2, got {options.Bins}.");
        if (options.FeatureUpsample is < 1 or > 16)
            throw new ProbeBenchException($"depth probe option FeatureUpsample must be 1 to 16, got {options.FeatureUpsample}.");
    }
}
