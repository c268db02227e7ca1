namespace ProbeBench.Core.Extraction;

/// <summary>What a layer choice reads from each block it names.</summary>
public enum LayerReadout
{
    /// <summary>Class tokens of the blocks, concatenated in block order.</summary>
    Cls,
    /// <summary>Class tokens of the blocks, then the mean patch token of the last of them (DINOv2 linear eval's avgpool).</summary>
    ClsAvgpool,
    /// <summary>Mean patch token of the block.</summary>
    Avgpool,
    /// <summary>
    /// Per block, the class token followed by the patch tokens at patch resolution ((1 + h·w) × C per block,
    /// row-major over the grid), for dense heads such as the depth probe.
    /// </summary>
    Patch,
}

/// <summary>
/// A resolved layer choice: what a probe reads and from which blocks (0-based, norm applied, as
/// DINOv2's get_intermediate_layers(norm=True)). <see cref="Name"/> is the canonical text, used in cache
/// keys and results.
/// </summary>
public sealed record LayerChoice(string Name, LayerReadout Readout, IReadOnlyList<int> Blocks)
{
    /// <summary>The block a single-block choice reads (for metric-vs-block plots), or null for multi-block choices.</summary>
    public int? BlockIndex => Blocks.Count == 1 && Readout != LayerReadout.ClsAvgpool ? Blocks[0] : null;

    public int DeepestBlock => Blocks.Max();

    /// <summary>Feature width per image for an embedding width <paramref name="embedDim"/> and a patch grid of <paramref name="patches"/> tokens.</summary>
    public int FeatureDim(int embedDim, int patches) => Readout switch
    {
        LayerReadout.Cls => Blocks.Count * embedDim,
        LayerReadout.ClsAvgpool => (Blocks.Count + 1) * embedDim,
        LayerReadout.Avgpool => embedDim,
        LayerReadout.Patch => Blocks.Count * (1 + patches) * embedDim,
        _ => throw new ArgumentOutOfRangeException(nameof(Readout)),
    };
}
