namespace ProbeBench.Core.Models.DinoV3;

/// <summary>Parameter and FLOP counts of a <see cref="DinoV3Config"/> (a multiply-add counts as 2 FLOPs).</summary>
public static class DinoV3Cost
{
    /// <summary>Learned parameters of the official state dict (mask token and the unused local_cls_norm included; buffers not).</summary>
    public static long Parameters(DinoV3Config config) =>
        DinoV3StateDictLayout.ExpectedShapes(config).Where(kv => !DinoV3StateDictLayout.IsBuffer(kv.Key))
            .Sum(kv => kv.Value.Aggregate(1L, (a, b) => a * b));

    /// <summary>
    /// Matrix-multiply FLOPs of one forward pass at <paramref name="height"/>×<paramref name="width"/>: patch embedding,
    /// every block's projections and feed-forward (three matrices for SwiGLU), and the two attention products over the
    /// 1 + S + h·w tokens. Element-wise work (norms, RoPE, softmax, activations) is left out; it is not matmul-bound.
    /// </summary>
    public static double FlopsPerImage(DinoV3Config config, int height = 224, int width = 224)
    {
        double d = config.EmbedDim, h = config.FfnHiddenDim;
        double patches = (double)(height / config.PatchSize) * (width / config.PatchSize);
        double tokens = patches + config.PrefixTokens;
        var patchEmbed = 2 * patches * config.InChannels * config.PatchSize * config.PatchSize * d;
        var projections = 2 * tokens * (3 * d * d + d * d);
        var ffn = 2 * tokens * (config.IsSwiGlu ? 3 * d * h : 2 * d * h);
        var attention = 2 * 2 * tokens * tokens * d;
        return patchEmbed + config.Depth * (projections + ffn + attention);
    }
}
