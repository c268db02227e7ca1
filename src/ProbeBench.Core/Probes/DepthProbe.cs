using ProbeBench.Core.Probes.Dense;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>A trained depth linear probe (see <see cref="DepthProbeTrainer"/>); predicts depth maps from features.</summary>
public sealed class DepthProbe : IDisposable
{
    private readonly DepthLinearHead head;
    private readonly Device device;

    internal DepthProbe(DepthLinearHead head, Device device, DepthProbeOptions options, int channels, IReadOnlyList<double> losses)
    {
        this.head = head;
        this.device = device;
        Options = options;
        Channels = channels;
        Losses = losses;
    }

    public DepthProbeOptions Options { get; }

    /// <summary>Input channels the probe was trained on.</summary>
    public int Channels { get; }

    /// <summary>The training loss of every step (NaN for a step whose batch held no valid pixel).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Depth maps of every image of <paramref name="source"/> at its label size, one batch at a time, in image order.</summary>
    public void Predict(IDenseBatchSource source, Action<long[], float[]> onBatch, int batchSize = 8, CancellationToken cancellation = default)
    {
        if (source.Channels != Channels)
            throw new ProbeBenchException($"depth probe input has {source.Channels} channels but the probe was trained on {Channels}.");
        if (batchSize <= 0) throw new ProbeBenchException($"depth prediction batch size {batchSize} is invalid.");
        head.eval();
        using var noGrad = no_grad();
        foreach (var images in DenseBatchOrder.InOrder(source.Images, batchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            onBatch(images, TensorCopy.ToArray<float>(head.Depth(source.Features(images, device), source.LabelHeight, source.LabelWidth)));
        }
    }

    /// <summary>Depth maps of <paramref name="height"/> × <paramref name="width"/> for every image of <paramref name="features"/>.</summary>
    public DepthMaps Predict(DepthFeatureBatch features, int height, int width, int batchSize = 8)
    {
        features.Validate("depth probe input");
        if (height <= 0 || width <= 0)
            throw new ProbeBenchException($"depth prediction size {height}×{width} is invalid.");
        var output = new float[(long)features.Images * height * width];
        using var source = new InMemoryDepthBatches(features, null, height, width);
        Predict(source, (images, depth) => Array.Copy(depth, 0, output, images[0] * height * width, depth.Length), batchSize);
        return new DepthMaps(output, features.Images, height, width);
    }

    public void Dispose() => head.Dispose();
}
