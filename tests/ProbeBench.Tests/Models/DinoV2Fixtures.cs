using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>The tiny reference backbones under <c>shared/fixtures/dinov2</c> and ways to load them.</summary>
internal static class DinoV2Fixtures
{
    public static readonly string[] Variants = ["vit_tiny_p14", "vit_tiny_p14_reg4", "vit_tiny_p14_swiglu"];

    public static readonly string[] Inputs = ["sq224", "rect98x140", "native518"];

    public static string Folder(string variant) => SharedFixtures.Path("fixtures", "dinov2", variant);

    public static DinoV2Config Config(string variant) =>
        HfDinov2ConfigReader.Read(Path.Combine(Folder(variant), "hf", "config.json"));

    public static StateDict Expected(string variant) =>
        SafetensorsReader.Read(Path.Combine(Folder(variant), "expected.safetensors"));

    /// <summary>The fixture's weights with official keys, from hf/ (transformers layout, mapped by the weights reader).</summary>
    public static StateDict HfWeightsAsOfficial(string variant) => BackboneCheckpoints.Read(Path.Combine(Folder(variant), "hf"));

    /// <summary>The model from hf/ (config.json inside) or from weights.pth (the official format; config from hf/config.json).</summary>
    public static DinoV2Backbone Load(string variant, string source, ScalarType? dtype = null)
    {
        var path = source == "pth" ? Path.Combine(Folder(variant), "weights.pth") : Path.Combine(Folder(variant), "hf");
        var loaded = BackboneCheckpoints.Load(path, dtype, configPath: Path.Combine(Folder(variant), "hf", "config.json"));
        return ((DinoV2FeatureBackbone)loaded.Model).Model;
    }

    public static DinoV2Backbone LoadFromHf(string variant, ScalarType? dtype = null) => Load(variant, "hf", dtype);
}
