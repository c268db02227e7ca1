using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// Trains the DINOv2 depth linear probe ("lin. 1" with one block's features, "lin. 4" with four) with AdamW on
/// <see cref="DepthSigLoss"/>; batches of images are drawn from seeded per-epoch shuffles, parameters from a
/// seeded generator, so a CPU run repeats exactly.
/// </summary>
public static class DepthProbeTrainer
{
    public static DepthProbe Train(DepthFeatureBatch features, DepthMaps depth, DepthProbeOptions? options = null)
    {
        options ??= new DepthProbeOptions();
        CheckInputs(features, depth, options);
        var device = TorchRuntime.ResolveDevice(options.Device);
        using var generator = new Generator((ulong)options.Seed);
        var head = new DepthLinearHead(features.ProbeChannels, options, generator, device);
        var losses = new List<double>(options.Steps);
        try
        {
            using var input = new DepthProbeInput(features);
            using var labels = tensor(depth.Values, [depth.Images, 1, depth.Height, depth.Width]);
            using var optimizer = optim.AdamW(head.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
            var shuffle = new Random(options.Seed);
            var order = Enumerable.Range(0, features.Images).ToArray();
            var position = order.Length;
            head.train();
            for (var step = 0; step < options.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var images = new long[Math.Min(options.BatchSize, features.Images)];
                for (var i = 0; i < images.Length; i++)
                {
                    if (position == order.Length) { shuffle.Shuffle(order); position = 0; }
                    images[i] = order[position++];
                }
                var target = labels.index_select(0, tensor(images)).to(device);
                var predicted = head.Depth(input.Assemble(images, device), depth.Height, depth.Width);
                var loss = DepthSigLoss.Compute(predicted, target, options.MinDepth, options.MaxDepth, warmUp: step < options.WarmUpSteps);
                if (loss is null) { losses.Add(double.NaN); continue; }
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
            }
        }
        catch
        {
            head.Dispose();
            throw;
        }
        return new DepthProbe(head, device, options, features.Blocks, features.Channels, losses);
    }

    private static void CheckInputs(DepthFeatureBatch features, DepthMaps depth, DepthProbeOptions options)
    {
        features.Validate("depth probe train features");
        depth.Validate("depth probe train labels");
        if (depth.Images != features.Images)
            throw new ProbeBenchException($"depth probe train labels hold {depth.Images} maps for {features.Images} feature images.");
        if (!(options.MinDepth >= 0) || !(options.MaxDepth > options.MinDepth))
            throw new ProbeBenchException($"depth probe options MinDepth {options.MinDepth} and MaxDepth {options.MaxDepth} do not form a range.");
        if (options.Output == DepthHeadOutput.Bins && options.Bins < 2)
            throw new ProbeBenchException($"depth probe option Bins must be at least 2, got {options.Bins}.");
        if (options.FeatureUpsample < 1)
            throw new ProbeBenchException($"depth probe option FeatureUpsample must be at least 1, got {options.FeatureUpsample}.");
        if (options.Steps <= 0 || options.BatchSize <= 0)
            throw new ProbeBenchException($"depth probe options Steps ({options.Steps}) and BatchSize ({options.BatchSize}) must be positive.");
        if (!(options.LearningRate > 0) || !(options.WeightDecay >= 0))
            throw new ProbeBenchException($"depth probe options LearningRate ({options.LearningRate}) must be positive and WeightDecay ({options.WeightDecay}) non-negative.");
        var valid = 0L;
        foreach (var v in depth.Values)
            if (v > options.MinDepth && v < options.MaxDepth) valid++;
        if (valid == 0)
            throw new ProbeBenchException($"depth probe train labels have no pixel inside the valid range ({options.MinDepth}, {options.MaxDepth}).");
    }
}
