using System.Globalization;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// Hyper-parameters of a DINOv2 vision transformer, as the official <c>DinoVisionTransformer</c> takes them.
/// Defaults are the hub models' (patch 14, img_size 518 so the stored position grid is 37×37, mlp ratio 4,
/// LayerNorm eps 1e-6, qkv bias, layer-scale).
/// </summary>
public sealed record DinoV2Config(
    int EmbedDim,
    int Depth,
    int NumHeads,
    FfnLayer Ffn = FfnLayer.Mlp,
    int NumRegisterTokens = 0,
    double InterpolateOffset = 0.1,
    bool InterpolateAntialias = false,
    int PatchSize = 14,
    int ImageSize = 518,
    double MlpRatio = 4.0,
    double LayerNormEps = 1e-6,
    int InChannels = 3) : IBackboneConfig
{
    public string Family => DinoV2Family.FamilyName;

    public string FfnKind => Ffn == FfnLayer.Mlp ? "mlp" : "swiglufused";

    /// <summary>
    /// Every hyper-parameter and derived width, formatted with the invariant culture (so cache keys are the same under
    /// any locale); the text is what the record's ToString gave under an English locale, so existing keys still match.
    /// </summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"DinoV2Config {{ EmbedDim = {EmbedDim}, Depth = {Depth}, NumHeads = {NumHeads}, Ffn = {Ffn}, NumRegisterTokens = {NumRegisterTokens}, " +
        $"InterpolateOffset = {InterpolateOffset}, InterpolateAntialias = {InterpolateAntialias}, PatchSize = {PatchSize}, ImageSize = {ImageSize}, " +
        $"MlpRatio = {MlpRatio}, LayerNormEps = {LayerNormEps}, InChannels = {InChannels}, HeadDim = {HeadDim}, GridSize = {GridSize}, " +
        $"FfnHiddenDim = {FfnHiddenDim}, PrefixTokens = {PrefixTokens} }}");

    public int HeadDim => EmbedDim / NumHeads;

    /// <summary>Side of the stored position-embedding grid (37 for img_size 518, patch 14).</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Hidden width of the feed-forward layer, derived exactly as the official code does.</summary>
    public int FfnHiddenDim
    {
        get
        {
            var hidden = (int)(EmbedDim * MlpRatio);
            // SwiGLUFFNFused: hidden_features = (int(hidden_features * 2 / 3) + 7) // 8 * 8
            return Ffn == FfnLayer.SwiGluFused ? ((int)(hidden * 2 / 3.0) + 7) / 8 * 8 : hidden;
        }
    }

    /// <summary>
    /// Throws when the hyper-parameters cannot describe a model, or describe one beyond <see cref="ArchitectureLimits"/>
    /// (checked first, so nothing below multiplies out an absurd value).
    /// </summary>
    public DinoV2Config Validated(string source)
    {
        var problem = ArchitectureLimits.Range("embed dim", EmbedDim, 1, ArchitectureLimits.MaxEmbedDim)
            ?? ArchitectureLimits.Range("depth", Depth, 1, ArchitectureLimits.MaxDepth)
            ?? ArchitectureLimits.Range("the number of heads", NumHeads, 1, ArchitectureLimits.MaxHeads)
            ?? ArchitectureLimits.Range("patch size", PatchSize, 1, ArchitectureLimits.MaxPatchSize)
            ?? ArchitectureLimits.Range("image size", ImageSize, 1, ArchitectureLimits.MaxImageSize)
            ?? ArchitectureLimits.Range("channels", InChannels, 1, ArchitectureLimits.MaxChannels)
            ?? ArchitectureLimits.Range("register tokens", NumRegisterTokens, 0, ArchitectureLimits.MaxRegisterTokens)
            ?? ArchitectureLimits.Range("mlp ratio", MlpRatio, 0, ArchitectureLimits.MaxMlpRatio)
            // A negative or zero eps makes LayerNorm divide by zero or take the root of a negative: NaN features.
            ?? ArchitectureLimits.Range("layer norm eps", LayerNormEps, 0, 1);
        if (problem is not null) throw new ProbeBenchException($"{source}: {problem}.");
        if (EmbedDim % NumHeads != 0)
            throw new ProbeBenchException($"{source}: embed dim {EmbedDim} is not divisible by the number of heads {NumHeads}.");
        if (ImageSize % PatchSize != 0)
            throw new ProbeBenchException($"{source}: image size {ImageSize} is not a multiple of the patch size {PatchSize}.");
        if (FfnHiddenDim < 1)
            throw new ProbeBenchException($"{source}: mlp ratio {MlpRatio.ToString("R", CultureInfo.InvariantCulture)} gives no feed-forward width at embed dim {EmbedDim}.");
        if (DinoV2Cost.Parameters(this) is var parameters && parameters > ArchitectureLimits.MaxParameters)
            throw new ProbeBenchException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: the model would have {parameters:N0} parameters; ProbeBench builds at most {ArchitectureLimits.MaxParameters:N0}."));
        return this;
    }

    /// <summary>Number of tokens before the patch tokens: the class token and the registers.</summary>
    public int PrefixTokens => 1 + NumRegisterTokens;
}
