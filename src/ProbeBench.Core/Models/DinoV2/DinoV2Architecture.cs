namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// What the shapes of a DINOv2 state dict reveal about its model. The number of attention heads is not
/// visible in the weights: it comes from the matching official variant or from the caller.
/// </summary>
public sealed record DinoV2Architecture(
    int EmbedDim,
    int Depth,
    int PatchSize,
    int ImageSize,
    int InChannels,
    FfnLayer Ffn,
    int FfnHiddenDim,
    int NumRegisterTokens,
    DinoV2Variant? Variant)
{
    /// <summary>
    /// The config of these weights: the official variant's when they match one, else built with
    /// <paramref name="numHeads"/> and the hub's interpolation convention (registers: offset 0 + antialias).
    /// </summary>
    public DinoV2Config ToConfig(int? numHeads, string source)
    {
        if (Variant is not null && (numHeads is null || numHeads == Variant.Config.NumHeads)) return Variant.Config;
        if (numHeads is null)
            throw new ProbeBenchException(
                $"{source} is not an official DINOv2 variant and the number of attention heads cannot be read from weights; give a config.json.");
        var config = new DinoV2Config(EmbedDim, Depth, numHeads.Value, Ffn, NumRegisterTokens,
            InterpolateOffset: NumRegisterTokens > 0 ? 0.0 : 0.1,
            InterpolateAntialias: NumRegisterTokens > 0,
            PatchSize: PatchSize, ImageSize: ImageSize, MlpRatio: MlpRatioFor(source), InChannels: InChannels);
        return config.Validated(source);
    }

    public string Describe() =>
        $"{Variant?.Name ?? "custom DINOv2"}: embed {EmbedDim}, depth {Depth}, patch {PatchSize}, image {ImageSize} " +
        $"({ImageSize / PatchSize}x{ImageSize / PatchSize} positions), ffn {(Ffn == FfnLayer.Mlp ? "mlp" : "swiglufused")} " +
        $"hidden {FfnHiddenDim}, {NumRegisterTokens} register tokens";

    private double MlpRatioFor(string source)
    {
        if (Ffn == FfnLayer.Mlp) return (double)FfnHiddenDim / EmbedDim;
        // SwiGLU stores the derived width; the official ratio 4 is the one that derives it.
        var probe = new DinoV2Config(EmbedDim, Depth, 1, Ffn);
        if (probe.FfnHiddenDim == FfnHiddenDim) return 4.0;
        throw new ProbeBenchException($"{source}: SwiGLU hidden width {FfnHiddenDim} does not follow from mlp ratio 4 at embed dim {EmbedDim}.");
    }
}
