using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV3;
using ProbeBench.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

public sealed class DinoV3BackboneTests
{
    // ViT-S/16-like (mlp, k-masked qkv bias) and ViT-7B/16-like (swiglu64, no qkv bias, untied local norm), both tiny.
    private static readonly DinoV3Config Tiny = new(EmbedDim: 32, Depth: 3, NumHeads: 2, FfnLayer: "mlp", FfnHiddenDim: 64);
    private static readonly DinoV3Config Tiny7B = new(EmbedDim: 32, Depth: 2, NumHeads: 2, FfnLayer: "swiglu64", FfnHiddenDim: 64,
        QkvBias: false, UntieGlobalAndLocalClsNorm: true);

    private static OwnedWeights Random(DinoV3Config config, long seed) => new(DinoV3RandomWeights.Create(config, seed));

    public static TheoryData<string> Configs => new("s", "7b");

    private static DinoV3Config ConfigNamed(string name) => name == "s" ? Tiny : Tiny7B;

    [Theory]
    [MemberData(nameof(Configs))]
    public void The_module_tree_is_the_checkpoint_layout_with_its_buffers_as_buffers(string name)
    {
        var config = ConfigNamed(name);
        using var weights = Random(config, 1);
        using var model = DinoV3Backbone.Load(config, weights, "random");
        var parameters = model.named_parameters().Select(p => p.name).ToList();
        var buffers = model.named_buffers().Select(b => b.name).ToList();
        Assert.Equal(DinoV3StateDictLayout.ExpectedShapes(config).Keys.Order(), parameters.Concat(buffers).Order());
        Assert.All(buffers, b => Assert.True(DinoV3StateDictLayout.IsBuffer(b), b));
        Assert.Contains("rope_embed.periods", buffers);
        Assert.Equal(config.HasBiasMask, buffers.Contains("blocks.0.attn.qkv.bias_mask"));
        Assert.Equal(config.QkvBias, parameters.Contains("blocks.0.attn.qkv.bias"));
        Assert.Equal(config.UntieGlobalAndLocalClsNorm, parameters.Contains("local_cls_norm.weight"));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_weight_is_a_view_of_the_checkpoint_tensor(string name)
    {
        // Nothing is folded or copied when dtype and device stay: writing into the state dict shows in the model.
        var config = ConfigNamed(name);
        using var weights = Random(config, 2);
        using var model = DinoV3Backbone.Load(config, weights, "random");
        var tensors = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(model.named_buffers().Select(b => (b.name, b.buffer))).ToList();
        foreach (var (key, _) in tensors) weights[key].add_(0.5);
        Assert.All(tensors, t => Assert.True(TensorComparison.Identical(t.Item2, weights[t.Item1]), t.Item1));
    }

    [Fact]
    public void Storage_tokens_sit_between_the_class_token_and_the_patches_and_are_never_handed_out_as_patches()
    {
        using var scope = NewDisposeScope();
        using var weights = Random(Tiny, 5);
        using var model = DinoV3Backbone.Load(Tiny, weights, "random");
        using var features = new DinoV3FeatureBackbone(DinoV3Backbone.Load(Tiny, weights, "random"));
        var images = randn(2, 3, 32, 48, generator: new Generator(7));

        var full = model.ForwardBlocks(images, [2], norm: true)[2];
        Assert.Equal([2, 1 + 4 + 6, 32], full.shape);
        var tokens = features.ForwardBlocks(images, [2])[2];
        Assert.Equal([2, 6, 32], tokens.Patches.shape);
        Assert.True(TensorComparison.Identical(tokens.Patches, full[.., 5..]));
        Assert.True(TensorComparison.Identical(tokens.Cls, full[.., 0]));

        var layer = model.GetIntermediateLayers(images, 1)[0];
        Assert.True(TensorComparison.Identical(layer.Storage, full[.., 1..5]));
        var ff = model.ForwardFeatures(images);
        Assert.Equal([2, 4, 32], ff.StorageTokens.shape);
        Assert.True(TensorComparison.Identical(ff.StorageTokens, layer.Storage));
        Assert.True(TensorComparison.Identical(ff.PatchTokens, layer.Patch));
        var reshaped = model.GetIntermediateLayers(images, 1, reshape: true)[0].Patch;
        Assert.Equal([2, 32, 2, 3], reshaped.shape);
        Assert.True(TensorComparison.Identical(reshaped.flatten(2).transpose(1, 2), layer.Patch));
    }

    [Fact]
    public void The_pass_stops_after_the_deepest_requested_block()
    {
        using var scope = NewDisposeScope();
        using var weights = Random(Tiny, 5);
        using var model = DinoV3Backbone.Load(Tiny, weights, "random");
        model.named_parameters().Single(p => p.name == "blocks.2.mlp.fc1.weight").parameter.Dispose();
        var images = randn(1, 3, 32, 32, generator: new Generator(3));
        Assert.Equal([0, 1], model.ForwardBlocks(images, [1, 0], norm: true).Keys);
        Assert.ThrowsAny<Exception>(() => model.ForwardBlocks(images, [2], norm: true));
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(16, 80)]
    [InlineData(48, 32)]
    public void Any_multiple_of_16_runs(int h, int w)
    {
        using var scope = NewDisposeScope();
        using var weights = Random(Tiny7B, 4);
        using var model = DinoV3Backbone.Load(Tiny7B, weights, "random");
        var patches = model.ForwardFeatures(randn(1, 3, h, w, generator: new Generator(1))).PatchTokens;
        Assert.Equal([1, h / 16 * (w / 16), 32], patches.shape);
        Assert.True(patches.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(15, 16)]
    [InlineData(16, 40)]
    [InlineData(14, 14)]
    public void Other_sizes_are_one_error_naming_the_patch_size(int h, int w)
    {
        using var weights = Random(Tiny, 5);
        using var model = DinoV3Backbone.Load(Tiny, weights, "random");
        using var images = zeros(1, 3, h, w);
        var e = Assert.Throws<ProbeBenchException>(() => model.ForwardFeatures(images));
        Assert.Contains("multiples of the patch size 16", e.Message);
        Assert.Null(DinoV3Family.Instance.CheckInputSize(Tiny, 224, 160));
        Assert.Contains("patch size 16", DinoV3Family.Instance.CheckInputSize(Tiny, h, w));
    }

    [Fact]
    public void Rope_sin_cos_are_made_once_per_grid_size_and_reused()
    {
        using var scope = NewDisposeScope();
        using var weights = Random(Tiny, 5);
        using var model = DinoV3Backbone.Load(Tiny, weights, "random");
        var first = model.ForwardFeatures(randn(2, 3, 32, 48, generator: new Generator(1))).PatchTokens;
        Assert.Equal(1, model.Rope.CachedGrids);
        var grid = model.Rope.ForGrid(2, 3);
        var again = model.ForwardFeatures(randn(2, 3, 32, 48, generator: new Generator(1))).PatchTokens;
        Assert.Same(grid, model.Rope.ForGrid(2, 3));
        Assert.Equal(1, model.Rope.CachedGrids);
        Assert.True(TensorComparison.Identical(first, again));

        // Past the cap, new sizes still run, with sin/cos that are not kept.
        for (var side = 1; side <= RopeEmbedding.MaxCachedGrids + 3; side++)
            model.ForwardFeatures(zeros(1, 3, 16, 16 * side));
        Assert.Equal(RopeEmbedding.MaxCachedGrids, model.Rope.CachedGrids);
    }

    [Fact]
    public void Rope_angles_follow_the_official_formula_per_axis()
    {
        using var scope = NewDisposeScope();
        using var weights = Random(Tiny, 5);
        using var model = DinoV3Backbone.Load(Tiny, weights, "random");
        var periods = model.Rope.Periods.data<float>().ToArray();
        var (h, w) = (3, 5);
        var sincos = model.Rope.ForGrid(h, w);
        var sin = sincos.Sin.data<float>().ToArray();
        var headDim = Tiny.HeadDim;
        Assert.Equal([h * w, headDim], sincos.Sin.shape);
        // Patch (i, j): row coordinate 2·(i+0.5)/h − 1 with the first D/4 periods, column 2·(j+0.5)/w − 1 with the next, tiled twice.
        for (var i = 0; i < h; i++)
            for (var j = 0; j < w; j++)
                for (var k = 0; k < headDim; k++)
                {
                    var p = k % (headDim / 2);
                    var coordinate = p < headDim / 4 ? 2 * (i + 0.5) / h - 1 : 2 * (j + 0.5) / w - 1;
                    var expected = Math.Sin(2 * Math.PI * coordinate / periods[p % (headDim / 4)]);
                    Assert.Equal(expected, sin[(i * w + j) * headDim + k], 5);
                }
    }

    [Fact]
    public void Half_precision_keeps_rope_in_float32_and_every_weight_in_the_model_dtype()
    {
        using var weights = Random(Tiny, 6);
        using var model = DinoV3Backbone.Load(Tiny, weights, "random", bfloat16);
        Assert.Equal(float32, model.Rope.Periods.dtype);
        Assert.All(model.parameters(), p => Assert.Equal(bfloat16, p.dtype));
        using var scope = NewDisposeScope();
        var cls = model.ForwardFeatures(randn(1, 3, 32, 32, generator: new Generator(2))).ClsToken;
        Assert.Equal(bfloat16, cls.dtype);
        Assert.True(cls.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData("blocks.1.attn.qkv.bias_mask", float.NaN, "holds values other than 0 and 1")]
    [InlineData("blocks.0.attn.qkv.bias_mask", 0.5f, "holds values other than 0 and 1")]
    [InlineData("rope_embed.periods", 0f, "rope_embed.periods must hold positive finite numbers")]
    public void Buffers_the_official_init_cannot_make_are_refused_naming_the_key(string key, float value, string message)
    {
        using var weights = Random(Tiny, 7);
        weights[key][0] = value;
        var e = Assert.Throws<ProbeBenchException>(() => DinoV3Backbone.Load(Tiny, weights, "ckpt.pth"));
        Assert.Contains("ckpt.pth", e.Message);
        Assert.Contains(message, e.Message);
        if (key.EndsWith("bias_mask")) Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Missing_unexpected_and_misshapen_keys_come_in_one_error()
    {
        using var weights = Random(Tiny, 1);
        weights.Remove("blocks.1.attn.qkv.bias_mask");
        weights.Add("cls_norm.weight", zeros(32));
        weights.Replace("rope_embed.periods", ones(5));
        var e = Assert.Throws<ProbeBenchException>(() => DinoV3Backbone.Load(Tiny, weights, "ckpt.pth"));
        Assert.Contains("missing keys: blocks.1.attn.qkv.bias_mask", e.Message);
        Assert.Contains("unexpected keys: cls_norm.weight", e.Message);
        Assert.Contains("rope_embed.periods is [5] but the model needs [4]", e.Message);
    }

    [Fact]
    public void The_qkv_bias_is_masked_on_k_as_the_official_layer_does()
    {
        // With the k third of the bias masked, adding anything to it changes nothing; changing q's bias does.
        using var scope = NewDisposeScope();
        using var weights = Random(Tiny, 8);
        var images = randn(1, 3, 32, 32, generator: new Generator(4));
        using var model = DinoV3Backbone.Load(Tiny, weights, "random");
        var reference = model.ForwardFeatures(images).PatchTokens.clone();
        weights["blocks.0.attn.qkv.bias"].narrow(0, 32, 32).add_(3.0);
        Assert.True(TensorComparison.Identical(reference, model.ForwardFeatures(images).PatchTokens));
        weights["blocks.0.attn.qkv.bias"].narrow(0, 0, 32).add_(3.0);
        Assert.False(TensorComparison.Identical(reference, model.ForwardFeatures(images).PatchTokens));
    }

    [Fact]
    public void Random_weights_carry_the_official_buffers_and_repeat_with_the_seed()
    {
        using var a = Random(Tiny, 3);
        using var b = Random(Tiny, 3);
        using var c = Random(Tiny, 4);
        Assert.True(TensorComparison.Identical(a["blocks.2.mlp.fc1.weight"], b["blocks.2.mlp.fc1.weight"]));
        Assert.False(TensorComparison.Identical(a["blocks.2.mlp.fc1.weight"], c["blocks.2.mlp.fc1.weight"]));
        Assert.Equal([1f, 1, 1, 1], a["blocks.0.attn.qkv.bias_mask"][..4].data<float>().ToArray());
        Assert.Equal(0f, a["blocks.0.attn.qkv.bias_mask"][32..64].abs().sum().item<float>());
        Assert.Equal(32f, a["blocks.0.attn.qkv.bias_mask"][64..].sum().item<float>());
        // base 100, head_dim 16: 100^(2i/8) for i = 0..3
        Assert.Equal(new[] { 1f, (float)Math.Pow(100, 0.25), 10f, (float)Math.Pow(100, 0.75) }, a["rope_embed.periods"].data<float>().ToArray(),
            (x, y) => Math.Abs(x - y) <= 1e-5f * y);
    }

    [SharedFact]
    public void Official_keys_in_a_safetensors_file_load_as_the_same_model()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        using var state = BackboneCheckpoints.Read(DinoV3Fixtures.Weights("dinov3_tiny_p16"));
        var builder = new Weights.SafetensorsFileBuilder();
        foreach (var (key, tensor) in state) builder.AddFloats(key, tensor.shape, tensor.contiguous().data<float>().ToArray());
        builder.Write(dir.File("model.safetensors"));

        using var fromPth = BackboneCheckpoints.Load(DinoV3Fixtures.Weights("dinov3_tiny_p16"));
        using var fromSafetensors = BackboneCheckpoints.Load(dir.File("model.safetensors"));
        Assert.Same(DinoV3Family.Instance, fromSafetensors.Family);
        var images = randn(1, 3, 32, 48, generator: new Generator(5));
        Assert.True(TensorComparison.Identical(fromPth.Model.ForwardBlocks(images, [3])[3].Patches, fromSafetensors.Model.ForwardBlocks(images, [3])[3].Patches));
    }

    [SharedTheory]
    [InlineData("dinov3_tiny_p16")]
    [InlineData("dinov3_tiny_p16_swiglu")]
    public void The_fixture_periods_are_what_the_official_init_makes_from_base_100(string variant)
    {
        using var state = BackboneCheckpoints.Read(DinoV3Fixtures.Weights(variant));
        var config = (DinoV3Config)BackboneCheckpoints.ResolveConfig(state, DinoV3Family.Instance);
        using var made = DinoV3RandomWeights.Periods(config);
        Assert.True(made.allclose(state["rope_embed.periods"], rtol: 1e-6, atol: 0), $"{variant}: periods differ");
    }
}
