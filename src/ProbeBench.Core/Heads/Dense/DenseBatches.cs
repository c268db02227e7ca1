using ProbeBench.Core.Probes.Dense;
using static TorchSharp.torch;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>
/// A dense head's batches: for every block the patch grid (C channels) followed, when asked, by the block's class token
/// repeated at every patch (DINOv2's cls-token concatenation), blocks concatenated in order, as n × D × h × w; and the
/// labels from the cache, as n × H × W.
/// </summary>
public sealed class DenseBatches(DenseSplit split, bool withClassToken) : IDenseBatchSource
{
    private readonly IPatchGridSource _grids = split.Grids;

    public int Images => _grids.Images;
    public int Channels => _grids.Blocks.Count * _grids.Channels * (withClassToken ? 2 : 1);
    public int GridHeight => _grids.GridHeight;
    public int GridWidth => _grids.GridWidth;
    public int LabelHeight => split.Targets.Height;
    public int LabelWidth => split.Targets.Width;

    public Tensor Features(long[] images, Device device)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        var (n, h, w, c) = ((long)images.Length, (long)GridHeight, (long)GridWidth, (long)_grids.Channels);
        foreach (var tokens in _grids.Tokens(images, device))
        {
            var patches = tokens[.., 1.., ..].reshape(n, h, w, c).permute(0, 3, 1, 2);
            parts.Add(patches);
            if (withClassToken) parts.Add(tokens[.., 0, ..][.., .., TensorIndex.None, TensorIndex.None].expand(n, c, h, w));
        }
        return cat(parts, 1).contiguous().MoveToOuterDisposeScope();
    }

    public Tensor Labels(long[] images, Device device)
    {
        var rows = images.Select(i => (int)i).ToArray();
        if ((long)rows.Length * split.Labels.Dim > Array.MaxLength)
            throw new ProbeBenchException($"A batch of {rows.Length} label maps of {split.Labels.Dim:N0} pixels exceeds what one array holds; lower denseBatchSize.");
        var values = new float[(long)rows.Length * split.Labels.Dim];
        split.Labels.Read(rows, values);
        using var host = tensor(values, [rows.Length, LabelHeight, LabelWidth]);
        return host.to(device);
    }
}
