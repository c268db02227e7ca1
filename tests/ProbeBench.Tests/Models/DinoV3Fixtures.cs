using System.Text.Json;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV3;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>The tiny reference backbones under <c>shared/fixtures/dinov3</c> and ways to load them.</summary>
internal static class DinoV3Fixtures
{
    public static readonly string[] Variants = ["dinov3_tiny_p16", "dinov3_tiny_p16_swiglu"];

    public static readonly string[] Inputs = ["sq224", "rect112x160", "big448"];

    public static string Folder(string variant) => SharedFixtures.Path("fixtures", "dinov3", variant);

    public static string Weights(string variant) => Path.Combine(Folder(variant), "weights.pth");

    public static StateDict Expected(string variant) => SafetensorsReader.Read(Path.Combine(Folder(variant), "expected.safetensors"));

    public static JsonElement Meta(string variant)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(variant), "meta.json")));
        return document.RootElement.Clone();
    }

    /// <summary>The model as the family builds it from weights.pth alone (the checkpoint describes itself).</summary>
    public static DinoV3Backbone Load(string variant, ScalarType? dtype = null)
    {
        var loaded = BackboneCheckpoints.Load(Weights(variant), dtype);
        return ((DinoV3FeatureBackbone)loaded.Model).Model;
    }
}
