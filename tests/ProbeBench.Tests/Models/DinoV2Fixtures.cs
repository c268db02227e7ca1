using ProbeBench.Core.Models;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using TorchSharp;
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

    /// <summary>The fixture's weights with official keys, from hf/model.safetensors.</summary>
    public static Dictionary<string, Tensor> HfWeightsAsOfficial(string variant)
    {
        using var hf = SafetensorsReader.Read(Path.Combine(Folder(variant), "hf", "model.safetensors"));
        return HfToOfficialForTests.Map(hf);
    }

    public static DinoV2Backbone LoadFromHf(string variant, ScalarType? dtype = null)
    {
        var weights = HfWeightsAsOfficial(variant);
        try
        {
            return DinoV2Backbone.Load(Config(variant), weights, variant + "/hf", dtype);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }
}

/// <summary>
/// Minimal transformers-Dinov2 → official key mapping for the model tests only, until the weights
/// helper's HfDinov2KeyMapper is on main.
/// </summary>
internal static class HfToOfficialForTests
{
    public static Dictionary<string, Tensor> Map(IReadOnlyDictionary<string, Tensor> hf)
    {
        var official = new Dictionary<string, Tensor>();
        var pending = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in hf)
        {
            var name = key
                .Replace("embeddings.cls_token", "cls_token")
                .Replace("embeddings.mask_token", "mask_token")
                .Replace("embeddings.register_tokens", "register_tokens")
                .Replace("embeddings.position_embeddings", "pos_embed")
                .Replace("embeddings.patch_embeddings.projection", "patch_embed.proj")
                .Replace("encoder.layer.", "blocks.")
                .Replace("attention.output.dense", "attn.proj")
                .Replace("layer_scale1.lambda1", "ls1.gamma")
                .Replace("layer_scale2.lambda1", "ls2.gamma")
                .Replace("mlp.weights_in", "mlp.w12")
                .Replace("mlp.weights_out", "mlp.w3");
            if (name.StartsWith("layernorm.", StringComparison.Ordinal)) name = "norm." + name["layernorm.".Length..];
            if (name.Contains(".attention.attention.")) pending[name] = tensor;
            else official[name] = tensor.clone().DetachFromDisposeScope();
        }
        foreach (var prefix in pending.Keys.Select(k => k[..k.IndexOf(".attention.attention.", StringComparison.Ordinal)]).Distinct())
            foreach (var kind in new[] { "weight", "bias" })
            {
                var parts = new[] { "query", "key", "value" }.Select(p => pending[$"{prefix}.attention.attention.{p}.{kind}"]).ToArray();
                official[$"{prefix}.attn.qkv.{kind}"] = cat(parts, 0).DetachFromDisposeScope();
            }
        return official;
    }
}
