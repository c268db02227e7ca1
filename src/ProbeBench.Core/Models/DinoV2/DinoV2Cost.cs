namespace ProbeBench.Core.Models.DinoV2;

/// <summary>Parameter and FLOP counts of a <see cref="DinoV2Config"/> (a multiply-add counts as 2 FLOPs).</summary>
public static class DinoV2Cost
{
    /// <summary>Parameters of the official state dict (mask token included).</summary>
    public static long Parameters(DinoV2Config config) =>
        DinoV2StateDictLayout.ExpectedShapes(config).Values.Sum(shape => shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>
    /// Matrix-multiply FLOPs of one forward pass for an image of <paramref name="height"/>×<paramref name="width"/>:
    /// patch embedding, every block's projections and feed-forward, and the two attention products.
    /// Element-wise work (norms, softmax, GELU) is left out; it is not matmul-bound.
    /// </summary>
    public static double FlopsPerImage(DinoV2Config config, int height = 224, int width = 224)
    {
        double d = config.EmbedDim, h = config.FfnHiddenDim;
        double patches = (double)(height / config.PatchSize) * (width / config.PatchSize);
        double tokens = patches + config.PrefixTokens;
        var patchEmbed = 2 * patches * config.InChannels * config.PatchSize * config.PatchSize * d;
        var projections = 2 * tokens * (3 * d * d + d * d);
        var ffn = config.Ffn == FfnLayer.SwiGluFused
            ? 2 * tokens * (d * 2 * h + h * d)
            : 2 * tokens * (d * h + h * d);
        var attention = 2 * 2 * tokens * tokens * d;
        return patchEmbed + config.Depth * (projections + ffn + attention);
    }
}
