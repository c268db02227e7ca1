using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>A trained depth linear probe (see <see cref="DepthProbeTrainer"/>); predicts depth maps from features.</summary>
public sealed class DepthProbe : IDisposable
{
    private readonly DepthLinearHead head;
    private readonly Device device;

    internal DepthProbe(DepthLinearHead head, Device device, DepthProbeOptions options, int blocks, int channels, IReadOnlyList<double> losses)
    {
        this.head = head;
        this.device = device;
        Options = options;
        Blocks = blocks;
        Channels = channels;
        Losses = losses;
    }

    public DepthProbeOptions Options { get; }

    public int Blocks { get; }

    public int Channels { get; }

    /// <summary>The training loss of every step (NaN for a step whose batch held no valid pixel).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Depth maps of <paramref name="height"/> × <paramref name="width"/> for every image of <paramref name="features"/>.</summary>
    public DepthMaps Predict(DepthFeatureBatch features, int height, int width, int batchSize = 8)
    {
        features.Validate("depth probe input");
        if (features.Blocks != Blocks || features.Channels != Channels)
            throw new ProbeBenchException($"depth probe input has {features.Blocks} blocks of {features.Channels} channels but the probe was trained on {Blocks} of {Channels}.");
        if (height <= 0 || width <= 0 || batchSize <= 0)
            throw new ProbeBenchException($"depth prediction size {height}×{width} with batch size {batchSize} is invalid.");
        var output = new float[(long)features.Images * height * width];
        using var input = new DepthProbeInput(features);
        head.eval();
        using var noGrad = no_grad();
        for (var start = 0; start < features.Images; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var images = Enumerable.Range(start, Math.Min(batchSize, features.Images - start)).Select(i => (long)i).ToArray();
            var depth = TensorCopy.ToArray<float>(head.Depth(input.Assemble(images, device), height, width));
            Array.Copy(depth, 0, output, (long)start * height * width, depth.Length);
        }
        return new DepthMaps(output, features.Images, height, width);
    }

    public void Dispose() => head.Dispose();
}
