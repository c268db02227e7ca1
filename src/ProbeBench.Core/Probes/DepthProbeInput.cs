using ProbeBench.Core.Probes.Dense;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// Features and depth held in memory as a batch source: for every block the patch tokens with the block's class token
/// appended to each patch (2·C channels), blocks concatenated in order, as n × D × h × w. Holds host tensors; only the
/// assembled batch goes to the device.
/// </summary>
internal sealed class InMemoryDepthBatches : IDenseBatchSource, IDisposable
{
    private readonly Tensor[] patches;
    private readonly Tensor[] classes;
    private readonly Tensor? depth;
    private readonly DepthFeatureBatch batch;

    public InMemoryDepthBatches(DepthFeatureBatch batch, DepthMaps? depth, int labelHeight = 0, int labelWidth = 0)
    {
        this.batch = batch;
        patches = batch.PatchTokens.Select(p => tensor(p, [batch.Images, batch.GridHeight, batch.GridWidth, batch.Channels])).ToArray();
        classes = batch.ClassTokens.Select(c => tensor(c, [batch.Images, batch.Channels])).ToArray();
        this.depth = depth is null ? null : tensor(depth.Values, [depth.Images, depth.Height, depth.Width]);
        (LabelHeight, LabelWidth) = depth is null ? (labelHeight, labelWidth) : (depth.Height, depth.Width);
    }

    public int Images => batch.Images;
    public int Channels => batch.ProbeChannels;
    public int GridHeight => batch.GridHeight;
    public int GridWidth => batch.GridWidth;
    public int LabelHeight { get; }
    public int LabelWidth { get; }

    public Tensor Features(long[] images, Device device)
    {
        using var scope = NewDisposeScope();
        var index = tensor(images);
        var parts = new List<Tensor>();
        for (var b = 0; b < patches.Length; b++)
        {
            var patch = patches[b].index_select(0, index).to(device).permute(0, 3, 1, 2);
            var cls = classes[b].index_select(0, index).to(device)[.., .., TensorIndex.None, TensorIndex.None]
                .expand(images.Length, batch.Channels, batch.GridHeight, batch.GridWidth);
            parts.Add(patch);
            parts.Add(cls);
        }
        return cat(parts, 1).contiguous().MoveToOuterDisposeScope();
    }

    public Tensor Labels(long[] images, Device device) =>
        (depth ?? throw new InvalidOperationException("this source holds no depth")).index_select(0, tensor(images)).to(device);

    public void Dispose()
    {
        foreach (var t in patches.Concat(classes)) t.Dispose();
        depth?.Dispose();
    }
}
