using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Weights;

public sealed class HfDinov2KeyMapperTests
{
    [Theory]
    [InlineData("embeddings.cls_token", "cls_token")]
    [InlineData("embeddings.mask_token", "mask_token")]
    [InlineData("embeddings.position_embeddings", "pos_embed")]
    [InlineData("embeddings.register_tokens", "register_tokens")]
    [InlineData("embeddings.patch_embeddings.projection.weight", "patch_embed.proj.weight")]
    [InlineData("encoder.layer.11.attention.output.dense.bias", "blocks.11.attn.proj.bias")]
    [InlineData("encoder.layer.0.layer_scale1.lambda1", "blocks.0.ls1.gamma")]
    [InlineData("encoder.layer.3.layer_scale2.lambda1", "blocks.3.ls2.gamma")]
    [InlineData("encoder.layer.39.mlp.weights_in.weight", "blocks.39.mlp.w12.weight")]
    [InlineData("encoder.layer.39.mlp.weights_out.bias", "blocks.39.mlp.w3.bias")]
    [InlineData("encoder.layer.2.mlp.fc2.weight", "blocks.2.mlp.fc2.weight")]
    [InlineData("layernorm.weight", "norm.weight")]
    public void Renames_single_keys(string hf, string official) => Assert.Equal(official, HfDinov2KeyMapper.OfficialName(hf));

    private static StateDict Build(params (string Key, float[] Values)[] tensors)
    {
        var state = new StateDict(new CheckpointInfo("/test/model.safetensors", CheckpointFormat.Safetensors, "00", 0));
        foreach (var (key, values) in tensors) state.Add(key, tensor(values).reshape(values.Length, 1));
        return state;
    }

    [Fact]
    public void Merges_query_key_value_in_that_order_and_consumes_the_source()
    {
        using var hf = Build(
            ("encoder.layer.0.attention.attention.value.weight", [5f, 6f]),
            ("encoder.layer.0.attention.attention.query.weight", [1f, 2f]),
            ("encoder.layer.0.attention.attention.key.weight", [3f, 4f]),
            ("layernorm.bias", [9f]));

        using var mapped = HfDinov2KeyMapper.Map(hf);

        Assert.Empty(hf);
        Assert.Equal(CheckpointFormat.HuggingFace, mapped.Info.Format);
        Assert.Equal(["norm.bias", "blocks.0.attn.qkv.weight"], mapped.Keys);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], mapped["blocks.0.attn.qkv.weight"].data<float>().ToArray());
        Assert.Equal(new long[] { 6, 1 }, mapped["blocks.0.attn.qkv.weight"].shape);
    }

    [Fact]
    public void Unknown_keys_are_listed()
    {
        using var hf = Build(("layernorm.bias", [1f]), ("classifier.weight", [1f]), ("dinov2.pooler.dense.bias", [2f]));
        var error = Assert.Throws<ProbeBenchException>(() => HfDinov2KeyMapper.Map(hf));
        Assert.Contains("classifier.weight", error.Message);
        Assert.Contains("dinov2.pooler.dense.bias", error.Message);
        Assert.Contains("/test/model.safetensors", error.Message);
    }

    [Fact]
    public void Incomplete_qkv_sets_list_the_missing_parts()
    {
        using var hf = Build(("encoder.layer.2.attention.attention.query.bias", [1f]));
        var error = Assert.Throws<ProbeBenchException>(() => HfDinov2KeyMapper.Map(hf));
        Assert.Contains("encoder.layer.2.attention.attention.key.bias", error.Message);
        Assert.Contains("encoder.layer.2.attention.attention.value.bias", error.Message);
    }

    [SharedTheory]
    [InlineData("vit_tiny_p14", 4, "mlp.fc1.weight")]
    [InlineData("vit_tiny_p14_reg4", 4, "mlp.fc1.weight")]
    [InlineData("vit_tiny_p14_swiglu", 3, "mlp.w12.weight")]
    public void Fixture_folders_map_to_the_official_key_set(string variant, int depth, string mlpKey)
    {
        using var state = BackboneCheckpoints.Read(SharedFixtures.Path("fixtures", "dinov2", variant, "hf"));
        Assert.Equal(variant.EndsWith("reg4"), state.ContainsKey("register_tokens"));
        for (var i = 0; i < depth; i++)
        {
            Assert.Equal(new long[] { 144, 48 }, state[$"blocks.{i}.attn.qkv.weight"].shape);
            Assert.True(state.ContainsKey($"blocks.{i}.{mlpKey}"));
        }
        Assert.False(state.ContainsKey($"blocks.{depth}.norm1.weight"));
    }
}
