using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// Builds the depth probe's input for a subset of images: for every block the patch tokens with the block's
/// class token appended to each patch (2·C channels), blocks concatenated in order, as n × D × h × w.
/// Holds the features as host tensors; only the assembled batch goes to the device.
/// </summary>
internal sealed class DepthProbeInput : IDisposable
{
    private readonly Tensor[] patches;
    private readonly Tensor[] classes;
    private readonly DepthFeatureBatch batch;

    public DepthProbeInput(DepthFeatureBatch batch)
    {
        this.batch = batch;
        patches = batch.PatchTokens.Select(p => tensor(p, [batch.Images, batch.GridHeight, batch.GridWidth, batch.Channels])).ToArray();
        classes = batch.ClassTokens.Select(c => tensor(c, [batch.Images, batch.Channels])).ToArray();
    }

    public Tensor Assemble(long[] images, Device device)
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

    public void Dispose()
    {
        foreach (var t in patches.Concat(classes)) t.Dispose();
    }
}
