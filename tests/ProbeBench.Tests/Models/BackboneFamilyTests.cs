using System.Globalization;
using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>The backbone-family seam: detection, config resolution, canonical text, random builds, all through the family.</summary>
public sealed class BackboneFamilyTests
{
    private static string Fixture(params string[] parts) => SharedFixtures.Path(["fixtures", "dinov2", .. parts]);

    [SharedFact]
    public void Official_and_transformers_layouts_are_recognised_as_dinov2()
    {
        using var pth = BackboneCheckpoints.Read(Fixture("vit_tiny_p14", "weights.pth"));
        using var hf = BackboneCheckpoints.Read(Fixture("vit_tiny_p14", "hf"));
        Assert.Same(DinoV2Family.Instance, BackboneFamilies.Recognize(pth.Keys.ToList(), "pth"));
        Assert.Same(DinoV2Family.Instance, BackboneFamilies.Recognize(hf.Keys.ToList(), "hf"));
        Assert.Equal(pth.Keys.Order(), hf.Keys.Order());
        Assert.Equal(Fixture("vit_tiny_p14", "hf", "config.json"), hf.Info.ConfigPath);
    }

    [Fact]
    public void Keys_of_another_family_are_not_taken_for_dinov2()
    {
        string[] dinov3 = ["cls_token", "storage_tokens", "patch_embed.proj.weight", "rope_embed.periods", "blocks.0.attn.qkv.weight"];
        Assert.False(DinoV2Family.Instance.KeyLayout.Recognizes(dinov3));
        var e = Assert.Throws<ProbeBenchException>(() => BackboneFamilies.Recognize(["a.weight", "b.bias"], "mystery.pth"));
        Assert.Contains("mystery.pth is not a state dict of a known backbone family", e.Message);
        Assert.Contains("pos_embed", e.Message);
    }

    [SharedTheory]
    [InlineData("vit_tiny_p14")]
    [InlineData("vit_tiny_p14_reg4")]
    [InlineData("vit_tiny_p14_swiglu")]
    public void Describe_reads_the_config_without_the_tensors_and_agrees_with_a_full_load(string variant)
    {
        var config = Fixture(variant, "hf", "config.json");
        var described = BackboneCheckpoints.Describe(Fixture(variant, "weights.pth"), config);
        using var loaded = BackboneCheckpoints.Load(Fixture(variant, "weights.pth"), configPath: config);
        Assert.Equal(loaded.Config, described);
        Assert.Equal(loaded.Config, BackboneCheckpoints.Describe(Fixture(variant, "hf")));
        Assert.NotNull(CheckpointLoader.TryReadShapes(Fixture(variant, "weights.pth"), BackboneFamilies.KeyLayouts));
    }

    [Fact]
    public void The_canonical_architecture_text_does_not_depend_on_the_culture()
    {
        var config = DinoV2Variants.Get("dinov2_vits14").Config;
        var invariant = config.Canonical();
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(invariant, config.Canonical());
            Assert.Contains("InterpolateOffset = 0.1,", config.Canonical());
            Assert.Contains("LayerNormEps = 1E-06,", config.Canonical());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Random_backbones_come_from_one_builder_and_repeat_with_the_seed()
    {
        var config = new DinoV2Config(EmbedDim: 24, Depth: 2, NumHeads: 2, ImageSize: 56);
        using var a = BackboneFamilies.BuildRandom(config, seed: 3);
        using var b = BackboneFamilies.BuildRandom(config, seed: 3);
        using var c = BackboneFamilies.BuildRandom(config, seed: 4);
        using var scope = NewDisposeScope();
        var images = randn(1, 3, 28, 28, generator: new Generator(1));
        var ta = a.ForwardBlocks(images, [1])[1].Cls;
        Assert.True(TensorComparison.Identical(ta, b.ForwardBlocks(images, [1])[1].Cls));
        Assert.False(TensorComparison.Identical(ta, c.ForwardBlocks(images, [1])[1].Cls));
        Assert.Equal(config, a.Config);
    }

    [Fact]
    public void A_config_file_of_no_known_family_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), """{ "model_type": "bert", "hidden_size": 8 }""");
        var e = Assert.Throws<ProbeBenchException>(() => BackboneFamilies.ReadConfig(dir.File("config.json")));
        Assert.Contains("describes no backbone family", e.Message);
        Assert.Contains("does not exist", Assert.Throws<ProbeBenchException>(() => BackboneFamilies.ReadConfig(dir.File("none.json"))).Message);
        var folder = Assert.Throws<ProbeBenchException>(() => BackboneFamilies.ReadConfig(dir.Path));
        Assert.Contains("is a folder", folder.Message);
    }
}
