using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV3;
using Xunit.Abstractions;

namespace ProbeBench.Tests.Models;

public sealed class DinoV3VariantsTests(ITestOutputHelper output)
{
    // dinov3/hub/backbones.py: embed, depth, heads, ffn layer and the width it derives, qkv bias, untied local norm, file.
    [Theory]
    [InlineData("dinov3_vits16", 384, 12, 6, "mlp", 1536, true, false, "dinov3_vits16_pretrain_lvd1689m-08c60483.pth")]
    [InlineData("dinov3_vits16plus", 384, 12, 6, "swiglu", 1536, true, false, "dinov3_vits16plus_pretrain_lvd1689m-4057cbaa.pth")]
    [InlineData("dinov3_vitb16", 768, 12, 12, "mlp", 3072, true, false, "dinov3_vitb16_pretrain_lvd1689m-73cec8be.pth")]
    [InlineData("dinov3_vitl16", 1024, 24, 16, "mlp", 4096, true, false, "dinov3_vitl16_pretrain_lvd1689m-8aa4cbdd.pth")]
    [InlineData("dinov3_vitl16plus", 1024, 24, 16, "swiglu", 4096, true, false, "dinov3_vitl16plus_pretrain_lvd1689m-46503df0.pth")]
    [InlineData("dinov3_vith16plus", 1280, 32, 20, "swiglu", 5120, true, false, "dinov3_vith16plus_pretrain_lvd1689m-7c1da9a5.pth")]
    [InlineData("dinov3_vit7b16", 4096, 40, 32, "swiglu64", 8192, false, true, "dinov3_vit7b16_pretrain_lvd1689m-a955f4ea.pth")]
    [InlineData("dinov3_vitl16_sat493m", 1024, 24, 16, "mlp", 4096, true, true, "dinov3_vitl16_pretrain_sat493m-eadcf0ff.pth")]
    [InlineData("dinov3_vit7b16_sat493m", 4096, 40, 32, "swiglu64", 8192, false, true, "dinov3_vit7b16_pretrain_sat493m-a6675841.pth")]
    public void Variants_carry_the_hub_hyper_parameters_and_file_names(string name, int dim, int depth, int heads, string ffn, int hidden,
        bool qkvBias, bool untied, string file)
    {
        var variant = Assert.IsType<DinoV3Variant>(BackboneFamilies.GetVariant(name));
        var c = variant.Config;
        Assert.Equal(name, variant.Name);
        Assert.Equal((dim, depth, heads, ffn, hidden), (c.EmbedDim, c.Depth, c.NumHeads, c.FfnLayer, c.FfnHiddenDim));
        Assert.Equal((qkvBias, untied), (c.QkvBias, c.UntieGlobalAndLocalClsNorm));
        // What every hub ViT shares.
        Assert.Equal((16, 4, true, true, 1e-5, RopeCoordinates.Separate, 100.0), (c.PatchSize, c.StorageTokens, c.MaskKBias, c.LayerScale, c.LayerNormEps, c.RopeNormalizeCoords, c.RopeBase));
        Assert.Equal(file, variant.Checkpoint.FileName);
        Assert.Null(variant.Checkpoint.Url);
        Assert.Equal(file[(file.LastIndexOf('-') + 1)..^4], variant.Checkpoint.Sha256Prefix);
        Assert.Contains(DinoV3Variants.DownloadPage, variant.Checkpoint.ObtainFrom);
        Assert.Same(variant, BackboneFamilies.FindVariant(file));
    }

    [Theory]
    [InlineData("dinov3_vits16", 21.0, 22.0)]       // the DINOv3 README's table: 21M
    [InlineData("dinov3_vits16plus", 28.5, 29.5)]   // 29M
    [InlineData("dinov3_vitb16", 85.5, 86.9)]       // 86M
    [InlineData("dinov3_vitl16", 300, 305)]         // 300M
    [InlineData("dinov3_vith16plus", 839, 842)]     // 840M
    [InlineData("dinov3_vit7b16", 6715, 6718)]      // 6,716M
    public void Parameter_counts_match_the_published_sizes(string name, double lowMillions, double highMillions)
    {
        var config = BackboneFamilies.GetVariant(name).Config;
        var millions = DinoV3Family.Instance.Parameters(config) / 1e6;
        output.WriteLine($"{name}: {millions:F2} M parameters, {DinoV3Family.Instance.FlopsPerImage(config, 224, 224) / 1e9:F2} GFLOP at 224");
        Assert.InRange(millions, lowMillions, highMillions);
    }

    [Fact]
    public void Flops_count_the_prefix_tokens_and_the_three_swiglu_matrices()
    {
        var s = DinoV3Variants.All.Single(v => v.Name == "dinov3_vits16").Config;
        // 196 patches + 5 prefix tokens; 12 blocks of (4·d² + 2·d·h)·2 per token plus attention 4·n²·d, and the patch embedding.
        double d = 384, h = 1536, n = 201;
        var expected = 2 * 196 * 3 * 256 * d + 12 * (2 * n * 4 * d * d + 2 * n * 2 * d * h + 4 * n * n * d);
        Assert.Equal(expected, DinoV3Cost.FlopsPerImage(s, 224, 224), 1e-6 * expected);
        var plus = s with { FfnLayer = "swiglu" };
        Assert.Equal(expected + 12 * 2 * n * d * h, DinoV3Cost.FlopsPerImage(plus, 224, 224), 1e-6 * expected);
    }

    [Theory]
    [InlineData("swiglu", 384, 6.0, 1536)]
    [InlineData("swiglu", 1280, 6.0, 5120)]
    [InlineData("swiglu64", 4096, 3.0, 8192)]
    [InlineData("swiglu", 48, 6.0, 192)]      // the fixture: int(288 * 2 / 3) = 192, already a multiple of 8
    [InlineData("swiglu", 100, 4.0, 272)]     // int(400 * 2 / 3) = 266, up to 272
    [InlineData("swiglu64", 100, 4.0, 320)]   // 266 up to a multiple of 64
    [InlineData("swiglu128", 100, 4.0, 384)]
    [InlineData("mlp", 100, 4.5, 450)]
    public void Feed_forward_widths_follow_the_official_alignment(string ffn, int dim, double ratio, int hidden) =>
        Assert.Equal(hidden, DinoV3Ffn.HiddenDim(ffn, dim, ratio));

    [Theory]
    [InlineData("dinov3_vits16", "dinov3_vits16")]
    [InlineData("vits16", "dinov3_vits16")]
    [InlineData("s16", "dinov3_vits16")]
    [InlineData("dinov3_s", "dinov3_vits16")]
    [InlineData("S16PLUS", "dinov3_vits16plus")]
    [InlineData("s16+", "dinov3_vits16plus")]
    [InlineData("b16", "dinov3_vitb16")]
    [InlineData("l16_lvd1689m", "dinov3_vitl16")]
    [InlineData("l16_sat", "dinov3_vitl16_sat493m")]
    [InlineData("dinov3_vitl16_sat493m", "dinov3_vitl16_sat493m")]
    [InlineData("h16plus", "dinov3_vith16plus")]
    [InlineData("dinov3_h+", "dinov3_vith16plus")]
    [InlineData("7b16", "dinov3_vit7b16")]
    [InlineData("vit7b16_sat493m", "dinov3_vit7b16_sat493m")]
    [InlineData("dinov3_vitb16_pretrain_lvd1689m-73cec8be.pth", "dinov3_vitb16")]
    [InlineData("dinov3_vit7b16_pretrain_sat493m", "dinov3_vit7b16_sat493m")]
    public void Official_file_and_short_names_resolve(string name, string official) =>
        Assert.Equal(official, BackboneFamilies.GetVariant(name).Name);

    [Theory]
    [InlineData("s")]          // DINOv2's ViT-S/14
    [InlineData("b14")]
    [InlineData("vitl14_reg")]
    public void Dinov2_short_names_stay_dinov2(string name) =>
        Assert.Equal("dinov2", BackboneFamilies.GetVariant(name).Config.Family);

    [Theory]
    [InlineData("dinov3_vith16")]                                  // only H+ is published
    [InlineData("dinov3_vits16_sat493m")]                          // SAT-493M weights exist for L and 7B only
    [InlineData("dinov3_vitb16_pretrain_lvd1689m-00000000.pth")]   // a hash that is not the file's
    [InlineData("dinov3_vitg16")]
    [InlineData("16")]
    public void Names_of_nothing_published_are_not_found(string name) => Assert.Null(BackboneFamilies.FindVariant(name));

    [Fact]
    public void Unknown_names_list_both_families()
    {
        var e = Assert.Throws<ProbeBench.Core.ProbeBenchException>(() => BackboneFamilies.GetVariant("dinov3_vitz16"));
        Assert.Contains("dinov3_vit7b16_sat493m", e.Message);
        Assert.Contains("dinov2_vitg14_reg", e.Message);
        Assert.Contains("DINOv3 s16, s16plus", e.Message);
    }
}
