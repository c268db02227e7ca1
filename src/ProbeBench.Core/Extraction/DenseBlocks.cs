namespace ProbeBench.Core.Extraction;

/// <summary>The block sets of DINOv2's dense linear probes.</summary>
public static class DenseBlocks
{
    /// <summary>
    /// "lin. 4": four blocks spread over the depth (0-based). The paper's sets: blocks 3, 6, 9, 12 of 12-block models,
    /// 5, 12, 18, 24 of ViT-L (24) and 10, 20, 30, 40 of ViT-g (40), 1-based; any other depth takes round(k · depth / 4)
    /// for k = 1..4, which gives the same for 12 and 40 blocks (fewer than four distinct blocks when depth &lt; 4).
    /// </summary>
    public static IReadOnlyList<int> Lin4(int depth) => depth switch
    {
        <= 0 => throw new ArgumentOutOfRangeException(nameof(depth)),
        12 => [2, 5, 8, 11],
        24 => [4, 11, 17, 23],
        40 => [9, 19, 29, 39],
        _ => Enumerable.Range(1, 4).Select(k => Math.Max(1, (int)Math.Round(k * depth / 4.0, MidpointRounding.AwayFromZero)) - 1).Distinct().ToList(),
    };
}
