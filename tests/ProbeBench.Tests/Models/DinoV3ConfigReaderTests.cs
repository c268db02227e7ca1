using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV3;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

public sealed class DinoV3ConfigReaderTests
{
    private static IBackboneConfig Read(string json)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), json);
        return BackboneFamilies.ReadConfig(dir.File("config.json"));
    }

    [Fact]
    public void Left_out_keys_take_the_published_models_values()
    {
        var config = Assert.IsType<DinoV3Config>(Read("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6 }"""));
        Assert.Equal(DinoV3Variants.All.Single(v => v.Name == "dinov3_vits16").Config, config);
        var plus = Read("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6, "ffn_layer": "swiglu", "ffn_ratio": 6, "drop_path_rate": 0.1 }""");
        Assert.Equal(DinoV3Variants.All.Single(v => v.Name == "dinov3_vits16plus").Config, plus);
    }

    [Fact]
    public void Every_setting_shows_in_the_config()
    {
        var config = Assert.IsType<DinoV3Config>(Read("""
            { "model_type": "dinov3", "embed_dim": 64, "depth": 2, "num_heads": 4, "ffn_layer": "swiglu128", "ffn_ratio": 3,
              "n_storage_tokens": 0, "patch_size": 8, "in_chans": 1, "qkv_bias": false, "layerscale_init": null, "norm_layer": "layernorm",
              "pos_embed_rope_base": null, "pos_embed_rope_min_period": 0.5, "pos_embed_rope_max_period": 40,
              "pos_embed_rope_normalize_coords": "max", "untie_global_and_local_cls_norm": true }
            """));
        Assert.Equal(new DinoV3Config(64, 2, 4, "swiglu128", 128, StorageTokens: 0, PatchSize: 8, QkvBias: false, LayerScale: false,
            UntieGlobalAndLocalClsNorm: true, LayerNormEps: 1e-6, RopeNormalizeCoords: RopeCoordinates.Max, RopeMinPeriod: 0.5, RopeMaxPeriod: 40, InChannels: 1), config);
        using var model = BackboneFamilies.BuildRandom(config, seed: 1);
        Assert.Equal(config, model.Config);
    }

    [Theory]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12 }""", "'num_heads' is required")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_head": 6 }""", "'num_head' is not a DinoVisionTransformer setting")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 7 }""", "not a multiple of 4 × 7 heads")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6, "ffn_layer": "geglu" }""", "ffn_layer 'geglu'")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6, "norm_layer": "rmsnorm" }""", "norm_layer 'rmsnorm' is not supported")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6, "pos_embed_rope_dtype": "bf16" }""", "pos_embed_rope_dtype must be fp32")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6, "untie_cls_and_patch_norms": true }""", "untie_cls_and_patch_norms = true is not supported")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": 12, "num_heads": 6, "pos_embed_rope_base": 100, "pos_embed_rope_min_period": 1, "pos_embed_rope_max_period": 9 }""", "either pos_embed_rope_base or")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": "384", "depth": 12, "num_heads": 6 }""", "'embed_dim' must be an integer")]
    [InlineData("""{ "model_type": "dinov3", "embed_dim": 384, "depth": -1, "num_heads": 6 }""", "depth is -1; ProbeBench accepts 1 to 256")]
    public void A_bad_config_is_one_error_naming_the_file_and_key(string json, string fragment)
    {
        var e = Assert.Throws<ProbeBenchException>(() => Read(json));
        Assert.Contains("config.json", e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Other_families_configs_are_not_taken_for_dinov3()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), """{ "model_type": "dinov3_vit", "hidden_size": 384 }""");
        Assert.Null(DinoV3ConfigReader.TryRead(dir.File("config.json")));
        File.WriteAllText(dir.File("config.json"), """{ "model_type": "dinov2", "hidden_size": 384 }""");
        Assert.Null(DinoV3ConfigReader.TryRead(dir.File("config.json")));
        File.WriteAllText(dir.File("config.json"), "not json");
        Assert.Null(DinoV3ConfigReader.TryRead(dir.File("config.json")));
    }
}
