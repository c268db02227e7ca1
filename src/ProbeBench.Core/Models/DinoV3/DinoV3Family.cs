using System.Globalization;
using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The DINOv3 family (facebookresearch/dinov3): ViT-S/16 to ViT-7B/16 with RoPE and 4 storage tokens, LVD-1689M and
/// SAT-493M weights.
/// </summary>
public sealed class DinoV3Family : IBackboneFamily
{
    public const string FamilyName = "dinov3";

    public static DinoV3Family Instance { get; } = new();

    private DinoV3Family() { }

    public string Name => FamilyName;

    public string Title => "DINOv3";

    public IReadOnlyList<IBackboneVariant> Variants => DinoV3Variants.All;

    public string ShortNames => DinoV3Variants.ShortNames;

    public IBackboneVariant? FindVariant(string name) => DinoV3Variants.Find(name);

    public ICheckpointKeyLayout KeyLayout { get; } = new DinoV3KeyLayout();

    public string KeySignature => "DINOv3: patch_embed.proj.weight, rope_embed.periods, storage_tokens, blocks.N.*";

    public IBackboneConfig? TryReadConfig(string path) => DinoV3ConfigReader.TryRead(path);

    public IBackboneConfig ConfigFromShapes(IReadOnlyDictionary<string, long[]> shapes, string source) =>
        DinoV3ArchitectureDetector.Detect(shapes, source);

    public (string Description, IBackboneVariant? Variant) Describe(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        var config = DinoV3ArchitectureDetector.Detect(shapes, source);
        var variant = DinoV3ArchitectureDetector.MatchingVariant(config, source);
        return (Describe(config, variant), variant);
    }

    public IReadOnlyDictionary<string, long[]> ExpectedShapes(IBackboneConfig config) => DinoV3StateDictLayout.ExpectedShapes(Typed(config));

    public IBackboneModel Build(IBackboneConfig config, IReadOnlyDictionary<string, Tensor> stateDict, string source, ScalarType? dtype = null, Device? device = null)
    {
        var model = DinoV3Backbone.Load(Typed(config), stateDict, source, dtype, device);
        model.eval();
        return new DinoV3FeatureBackbone(model);
    }

    public Dictionary<string, Tensor> RandomWeights(IBackboneConfig config, long seed) => DinoV3RandomWeights.Create(Typed(config), seed);

    public long Parameters(IBackboneConfig config) => DinoV3Cost.Parameters(Typed(config));

    public double FlopsPerImage(IBackboneConfig config, int height, int width) => DinoV3Cost.FlopsPerImage(Typed(config), height, width);

    public string Settings(IBackboneConfig config)
    {
        var c = Typed(config);
        var coordinates = c.RopeNormalizeCoords == RopeCoordinates.Separate ? "per axis" : $"by the {c.RopeNormalizeCoords.ToString().ToLowerInvariant()} side";
        var untied = c.UntieGlobalAndLocalClsNorm ? ", local_cls_norm loaded but unused" : "";
        return string.Create(CultureInfo.InvariantCulture, $"RoPE (coordinates normalised {coordinates}, float32), LayerNorm eps {c.LayerNormEps}, {QkvBias(c)}{untied}");
    }

    // The DINOv3 README's evaluation transform: 224x224 bilinear, with SAT-493M statistics for the satellite weights.
    public string? EvaluationRecipe(IBackboneVariant? variant) =>
        variant is DinoV3Variant { Weights: DinoV3Weights.Sat493M } ? "dinov3-sat-eval" : "dinov3-eval";

    public string? CheckInputSize(IBackboneConfig config, int height, int width) => ArchitectureLimits.InputSizeProblem(config, height, width);

    private static string Describe(DinoV3Config c, DinoV3Variant? variant)
    {
        var layerScale = c.LayerScale ? "LayerScale" : "no LayerScale";
        var untied = c.UntieGlobalAndLocalClsNorm ? ", untied local_cls_norm (unused at inference)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{variant?.Name ?? "custom DINOv3"}: embed {c.EmbedDim}, depth {c.Depth}, {c.NumHeads} heads (from {c.RopePeriods} RoPE periods), patch {c.PatchSize}, " +
            $"ffn {c.FfnLayer} hidden {c.FfnHiddenDim}, {c.StorageTokens} storage tokens, {QkvBias(c)}, {layerScale}{untied}{Weights(variant)}");
    }

    // The preprocessing recipe named by text: Models comes before Preprocessing, so it cannot name the type.
    private static string Weights(DinoV3Variant? variant) => variant?.Weights switch
    {
        DinoV3Weights.Sat493M => "; SAT-493M (satellite) weights: evaluate with --recipe dinov3-sat-eval",
        DinoV3Weights.Lvd1689M => "; LVD-1689M weights: evaluate with --recipe dinov3-eval",
        _ => "",
    };

    private static string QkvBias(DinoV3Config c) => c.HasBiasMask ? "k-masked qkv bias" : c.QkvBias ? "qkv bias" : "no qkv bias";

    private static DinoV3Config Typed(IBackboneConfig config) => config as DinoV3Config
        ?? throw new ProbeBenchException($"A {config.Family} config was given to the DINOv3 family.");
}
