using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>The DINOv2 family (facebookresearch/dinov2): ViT-S/B/L/g with patch 14, with and without registers.</summary>
public sealed class DinoV2Family : IBackboneFamily
{
    public const string FamilyName = "dinov2";

    public static DinoV2Family Instance { get; } = new();

    private DinoV2Family() { }

    public string Name => FamilyName;

    public string Title => "DINOv2";

    public IReadOnlyList<IBackboneVariant> Variants => DinoV2Variants.All;

    public string ShortNames => DinoV2Variants.ShortNames;

    public IBackboneVariant? FindVariant(string name) => DinoV2Variants.Find(name);

    public ICheckpointKeyLayout KeyLayout { get; } = new DinoV2KeyLayout();

    public string KeySignature => "DINOv2: patch_embed.proj.weight, pos_embed, blocks.N.* (or transformers' embeddings.*, encoder.layer.N.*)";

    public IBackboneConfig? TryReadConfig(string path) => HfDinov2ConfigReader.TryRead(path);

    public IBackboneConfig ConfigFromShapes(IReadOnlyDictionary<string, long[]> shapes, string source) =>
        DinoV2ArchitectureDetector.Detect(shapes, source).ToConfig(null, source);

    public (string Description, IBackboneVariant? Variant) Describe(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        var architecture = DinoV2ArchitectureDetector.Detect(shapes, source);
        return (architecture.Describe(), architecture.Variant);
    }

    public IReadOnlyDictionary<string, long[]> ExpectedShapes(IBackboneConfig config) => DinoV2StateDictLayout.ExpectedShapes(Typed(config));

    public IBackboneModel Build(IBackboneConfig config, IReadOnlyDictionary<string, Tensor> stateDict, string source, ScalarType? dtype = null, Device? device = null)
    {
        var model = DinoV2Backbone.Load(Typed(config), stateDict, source, dtype, device);
        model.eval();
        return new DinoV2FeatureBackbone(model);
    }

    public Dictionary<string, Tensor> RandomWeights(IBackboneConfig config, long seed) => DinoV2RandomWeights.Create(Typed(config), seed);

    public long Parameters(IBackboneConfig config) => DinoV2Cost.Parameters(Typed(config));

    public double FlopsPerImage(IBackboneConfig config, int height, int width) => DinoV2Cost.FlopsPerImage(Typed(config), height, width);

    public string Settings(IBackboneConfig config)
    {
        var c = Typed(config);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"position interpolation offset {c.InterpolateOffset}{(c.InterpolateAntialias ? " with antialias" : " without antialias")}");
    }

    public string? EvaluationRecipe(IBackboneVariant? variant) => null;

    public string? CheckInputSize(IBackboneConfig config, int height, int width) => ArchitectureLimits.InputSizeProblem(config, height, width);

    private static DinoV2Config Typed(IBackboneConfig config) => config as DinoV2Config
        ?? throw new ProbeBenchException($"A {config.Family} config was given to the DINOv2 family.");
}
