using System.Globalization;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>How RoPE maps patch rows and columns into [-1, 1] (<c>pos_embed_rope_normalize_coords</c>).</summary>
public enum RopeCoordinates
{
    /// <summary>Rows by H and columns by W, separately (every published model).</summary>
    Separate,

    /// <summary>Both by max(H, W).</summary>
    Max,

    /// <summary>Both by min(H, W).</summary>
    Min,
}

/// <summary>
/// Hyper-parameters of a DINOv3 vision transformer as it runs at inference, in the official
/// <c>DinoVisionTransformer</c>'s terms. Defaults are what every published ViT shares (dinov3/hub/backbones.py): patch 16,
/// 4 storage tokens, qkv bias with the k part masked, LayerScale, LayerNorm eps 1e-5 ("layernormbf16"), RoPE with base 100
/// and separately normalised coordinates in float32. The feed-forward width is stored as the official code derives it.
/// </summary>
/// <param name="FfnLayer">The official ffn_layer name: mlp, swiglu, swiglu32, swiglu64 or swiglu128.</param>
/// <param name="FfnHiddenDim">Width of fc1 (mlp) or of w1 and w2 (SwiGLU), e.g. <see cref="DinoV3Ffn.HiddenDim"/>.</param>
/// <param name="UntieGlobalAndLocalClsNorm">Whether the checkpoint holds <c>local_cls_norm</c> (training only; loaded, unused).</param>
/// <param name="RopeBase">The base the RoPE periods of random weights are made from; checkpoints carry their own periods.</param>
/// <param name="RopeMinPeriod">With <paramref name="RopeMaxPeriod"/>: the other way to make the periods of random weights.</param>
public sealed record DinoV3Config(
    int EmbedDim,
    int Depth,
    int NumHeads,
    string FfnLayer,
    int FfnHiddenDim,
    int StorageTokens = 4,
    int PatchSize = 16,
    bool QkvBias = true,
    bool MaskKBias = true,
    bool LayerScale = true,
    bool UntieGlobalAndLocalClsNorm = false,
    double LayerNormEps = 1e-5,
    RopeCoordinates RopeNormalizeCoords = RopeCoordinates.Separate,
    double RopeBase = 100,
    double? RopeMinPeriod = null,
    double? RopeMaxPeriod = null,
    int InChannels = 3) : IBackboneConfig
{
    public string Family => DinoV3Family.FamilyName;

    public string FfnKind => FfnLayer;

    public bool IsSwiGlu => FfnLayer != DinoV3Ffn.Mlp;

    public int HeadDim => EmbedDim / NumHeads;

    /// <summary>Entries of <c>rope_embed.periods</c>: a quarter of the head width (two axes, sin and cos).</summary>
    public int RopePeriods => HeadDim / 4;

    /// <summary>The class token and the storage tokens.</summary>
    public int PrefixTokens => 1 + StorageTokens;

    /// <summary>Whether <c>attn.qkv</c> carries a <c>bias_mask</c> buffer (LinearKMaskedBias with a bias).</summary>
    public bool HasBiasMask => QkvBias && MaskKBias;

    /// <summary>Every hyper-parameter and derived width, formatted with the invariant culture (part of feature-cache keys).</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"DinoV3Config {{ EmbedDim = {EmbedDim}, Depth = {Depth}, NumHeads = {NumHeads}, FfnLayer = {FfnLayer}, FfnHiddenDim = {FfnHiddenDim}, " +
        $"StorageTokens = {StorageTokens}, PatchSize = {PatchSize}, QkvBias = {QkvBias}, MaskKBias = {MaskKBias}, LayerScale = {LayerScale}, " +
        $"UntieGlobalAndLocalClsNorm = {UntieGlobalAndLocalClsNorm}, LayerNormEps = {LayerNormEps}, RopeNormalizeCoords = {RopeNormalizeCoords}, " +
        $"RopeBase = {RopeBase}, RopeMinPeriod = {RopeMinPeriod?.ToString(CultureInfo.InvariantCulture) ?? "none"}, " +
        $"RopeMaxPeriod = {RopeMaxPeriod?.ToString(CultureInfo.InvariantCulture) ?? "none"}, InChannels = {InChannels}, " +
        $"HeadDim = {HeadDim}, PrefixTokens = {PrefixTokens} }}");

    /// <summary>Throws, naming <paramref name="source"/>, when the hyper-parameters cannot describe a model.</summary>
    public DinoV3Config Validated(string source)
    {
        // The shared limits first, so nothing below multiplies out an absurd value.
        var problem = ArchitectureLimits.Range("embed dim", EmbedDim, 1, ArchitectureLimits.MaxEmbedDim)
            ?? ArchitectureLimits.Range("depth", Depth, 1, ArchitectureLimits.MaxDepth)
            ?? ArchitectureLimits.Range("the number of heads", NumHeads, 1, ArchitectureLimits.MaxHeads)
            ?? ArchitectureLimits.Range("patch size", PatchSize, 1, ArchitectureLimits.MaxPatchSize)
            ?? ArchitectureLimits.Range("channels", InChannels, 1, ArchitectureLimits.MaxChannels)
            ?? ArchitectureLimits.Range("storage tokens", StorageTokens, 0, ArchitectureLimits.MaxRegisterTokens)
            ?? ArchitectureLimits.Range("feed-forward width", FfnHiddenDim, 1, (long)(EmbedDim * ArchitectureLimits.MaxMlpRatio))
            ?? ArchitectureLimits.Range("layer norm eps", LayerNormEps, 0, 1);
        if (problem is not null) throw new ProbeBenchException($"{source}: {problem}.");
        if (EmbedDim % (4 * NumHeads) != 0)
            throw new ProbeBenchException($"{source}: embed dim {EmbedDim} is not a multiple of 4 × {NumHeads} heads, which RoPE needs.");
        if (!DinoV3Ffn.Names.Contains(FfnLayer))
            throw new ProbeBenchException($"{source}: ffn_layer '{FfnLayer}' is not one of {string.Join(", ", DinoV3Ffn.Names)}.");
        if (!(RopeBase > 0) || !double.IsFinite(RopeBase))
            throw new ProbeBenchException($"{source}: the RoPE base must be a positive number.");
        if ((RopeMinPeriod is null) != (RopeMaxPeriod is null) || RopeMinPeriod is <= 0 || RopeMaxPeriod is <= 0)
            throw new ProbeBenchException($"{source}: RoPE min and max periods come together and must be positive.");
        if (DinoV3Cost.Parameters(this) is var parameters && parameters > ArchitectureLimits.MaxParameters)
            throw new ProbeBenchException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: the model would have {parameters:N0} parameters; ProbeBench builds at most {ArchitectureLimits.MaxParameters:N0}."));
        return this;
    }
}
