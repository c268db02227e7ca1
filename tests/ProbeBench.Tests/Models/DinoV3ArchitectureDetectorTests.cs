using System.Globalization;
using System.Text.Json.Nodes;
using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV3;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

/// <summary>A DINOv3 checkpoint describes itself: its config comes from the shapes (heads from the RoPE periods).</summary>
public sealed class DinoV3ArchitectureDetectorTests
{
    public static TheoryData<string> Published => new(DinoV3Variants.All.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Published))]
    public void Every_published_layout_is_detected_as_its_variant(string name)
    {
        var variant = DinoV3Variants.All.Single(v => v.Name == name);
        var shapes = DinoV3StateDictLayout.ExpectedShapes(variant.Config);
        Assert.Equal(variant.Config, DinoV3ArchitectureDetector.Detect(shapes, variant.Checkpoint.FileName));
        var (description, found) = DinoV3Family.Instance.Describe(shapes, "/somewhere/" + variant.Checkpoint.FileName);
        Assert.Same(variant, found);
        Assert.StartsWith(name + ":", description);
    }

    [Fact]
    public void The_7b_weights_share_one_architecture_so_the_file_name_tells_them_apart()
    {
        var sat = DinoV3Variants.All.Single(v => v.Name == "dinov3_vit7b16_sat493m");
        var shapes = DinoV3StateDictLayout.ExpectedShapes(sat.Config);
        Assert.Equal("dinov3_vit7b16", DinoV3Family.Instance.Describe(shapes, "renamed.pth").Variant!.Name);
        var (description, variant) = DinoV3Family.Instance.Describe(shapes, sat.Checkpoint.FileName);
        Assert.Equal("dinov3_vit7b16_sat493m", variant!.Name);
        Assert.EndsWith("SAT-493M (satellite) weights: evaluate with --recipe dinov3-sat-eval", description);
    }

    [SharedTheory]
    [InlineData("dinov3_tiny_p16", 4, "mlp", 192, false)]
    [InlineData("dinov3_tiny_p16_swiglu", 3, "swiglu", 192, true)]
    public void The_fixtures_describe_themselves_without_a_config(string variant, int depth, string ffn, int hidden, bool untied)
    {
        var shapes = CheckpointLoader.TryReadShapes(DinoV3Fixtures.Weights(variant), BackboneFamilies.KeyLayouts)!;
        Assert.Same(DinoV3Family.Instance, BackboneFamilies.Recognize(shapes.Keys.ToList(), variant));
        var config = Assert.IsType<DinoV3Config>(BackboneCheckpoints.Describe(DinoV3Fixtures.Weights(variant)));
        Assert.Equal((48, depth, 3, ffn, hidden, 4, untied), (config.EmbedDim, config.Depth, config.NumHeads, config.FfnLayer, config.FfnHiddenDim, config.StorageTokens, config.UntieGlobalAndLocalClsNorm));
        Assert.True(config.HasBiasMask && config.LayerScale);
        Assert.Null(DinoV3Family.Instance.Describe(shapes, variant).Variant);

        // The meta.json beside it lists the same keys and shapes.
        var keys = DinoV3Fixtures.Meta(variant).GetProperty("keys");
        Assert.Equal(keys.EnumerateObject().Select(p => p.Name), DinoV3StateDictLayout.ExpectedShapes(config).Keys);
        foreach (var key in keys.EnumerateObject())
            Assert.Equal(key.Value.EnumerateArray().Select(v => v.GetInt64()), DinoV3StateDictLayout.ExpectedShapes(config)[key.Name]);
    }

    [SharedTheory]
    [InlineData("dinov3_tiny_p16")]
    [InlineData("dinov3_tiny_p16_swiglu")]
    public void A_config_file_of_the_official_keyword_arguments_gives_the_same_model(string variant)
    {
        // meta.json holds the DinoVisionTransformer kwargs the fixture was built with (plus keys, shapes, seeds).
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(DinoV3Fixtures.Folder(variant), "meta.json")))!.AsObject();
        var config = new JsonObject { ["model_type"] = "dinov3" };
        foreach (var key in new[] { "img_size", "patch_size", "pos_embed_rope_base", "pos_embed_rope_normalize_coords", "pos_embed_rope_rescale_coords",
                     "pos_embed_rope_dtype", "qkv_bias", "layerscale_init", "norm_layer", "ffn_bias", "proj_bias", "n_storage_tokens", "mask_k_bias",
                     "embed_dim", "depth", "num_heads", "ffn_ratio", "ffn_layer", "untie_global_and_local_cls_norm" })
            if (meta[key] is { } value) config[key] = value.DeepClone();
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), config.ToJsonString());

        var read = BackboneFamilies.ReadConfig(dir.File("config.json"));
        Assert.Equal(BackboneCheckpoints.Describe(DinoV3Fixtures.Weights(variant)), read);
        using var loaded = BackboneCheckpoints.Load(DinoV3Fixtures.Weights(variant), configPath: dir.File("config.json"));
        Assert.Equal(read, loaded.Config);
    }

    [Fact]
    public void Hostile_shapes_are_one_error_naming_the_file()
    {
        var good = DinoV3StateDictLayout.ExpectedShapes(DinoV3Variants.All[0].Config).ToDictionary(kv => kv.Key, kv => kv.Value);
        void Refused(Action<Dictionary<string, long[]>> edit, string fragment)
        {
            var shapes = new Dictionary<string, long[]>(good);
            edit(shapes);
            var e = Assert.Throws<ProbeBenchException>(() => DinoV3ArchitectureDetector.Detect(shapes, "evil.pth"));
            Assert.Contains("evil.pth", e.Message);
            Assert.Contains(fragment, e.Message);
        }
        Refused(s => s["rope_embed.periods"] = [7], "do not divide embed dim 384");
        Refused(s => s["rope_embed.periods"] = [0], "do not divide");
        Refused(s => s["rope_embed.periods"] = [1L << 62], "the length of rope_embed.periods");
        Refused(s => s["blocks.99999999999999999999.norm1.weight"] = [384], "ProbeBench reads at most 256 blocks");
        Refused(s => s["blocks.13.norm1.weight"] = [384], "has no blocks.12");
        Refused(s => s["blocks.\u0661\u0662.norm1.weight"] = [384], "is not a plain number");
        Refused(s =>
        {
            var c = DinoV3Variants.All[0].Config;
            foreach (var (key, shape) in DinoV3StateDictLayout.ExpectedShapes(c with { Depth = 300 }).Where(kv => kv.Key.StartsWith("blocks."))) s[key] = shape;
        }, "at most 256 blocks");
        Refused(s => { foreach (var key in s.Keys.Where(k => k.StartsWith("blocks.3.")).ToList()) s.Remove(key); }, "no blocks.3.*");
        Refused(s => s["patch_embed.proj.weight"] = [384, 3, 16, 8], "non-square patches");
        Refused(s => s["patch_embed.proj.weight"] = [384, 3, 16], "expected 4 dimensions");
        Refused(s => s["patch_embed.proj.weight"] = [1L << 38, 3, 16, 16], "out of range");
        Refused(s => s.Remove("blocks.0.mlp.fc1.weight"), "no key 'blocks.0.mlp.fc1.weight'");
    }

    [Fact]
    public void The_canonical_text_names_every_setting_and_does_not_depend_on_the_culture()
    {
        var config = DinoV3Variants.All.Single(v => v.Name == "dinov3_vit7b16").Config;
        var invariant = config.Canonical();
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(invariant, config.Canonical());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
        Assert.Contains("LayerNormEps = 1E-05,", invariant);
        Assert.Contains("FfnLayer = swiglu64, FfnHiddenDim = 8192", invariant);
        Assert.Contains("QkvBias = False", invariant);
        Assert.NotEqual(invariant, DinoV3Variants.All.Single(v => v.Name == "dinov3_vitl16").Config.Canonical());
        Assert.NotEqual(DinoV3Variants.All.Single(v => v.Name == "dinov3_vitl16").Config.Canonical(),
            DinoV3Variants.All.Single(v => v.Name == "dinov3_vitl16_sat493m").Config.Canonical());
    }
}
