using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;

namespace ProbeBench.Tests.Models;

public sealed class DinoV2VariantsTests
{
    [Theory]
    [InlineData("dinov2_vits14", 384, 12, 6, 1536, 0, "dinov2_vits14_pretrain.pth")]
    [InlineData("dinov2_vitb14", 768, 12, 12, 3072, 0, "dinov2_vitb14_pretrain.pth")]
    [InlineData("dinov2_vitl14", 1024, 24, 16, 4096, 0, "dinov2_vitl14_pretrain.pth")]
    [InlineData("dinov2_vitg14", 1536, 40, 24, 4096, 0, "dinov2_vitg14_pretrain.pth")]
    [InlineData("dinov2_vits14_reg", 384, 12, 6, 1536, 4, "dinov2_vits14_reg4_pretrain.pth")]
    [InlineData("dinov2_vitg14_reg", 1536, 40, 24, 4096, 4, "dinov2_vitg14_reg4_pretrain.pth")]
    public void OfficialVariantsCarryHubHyperParameters(string name, int dim, int depth, int heads, int hidden, int registers, string file)
    {
        var variant = DinoV2Variants.Get(name);
        var c = variant.Config;
        Assert.Equal((dim, depth, heads, hidden, registers), (c.EmbedDim, c.Depth, c.NumHeads, c.FfnHiddenDim, c.NumRegisterTokens));
        Assert.Equal((14, 518, 37, 1e-6), (c.PatchSize, c.ImageSize, c.GridSize, c.LayerNormEps));
        Assert.Equal(file, variant.CheckpointFileName);
        var arch = name.Replace("_reg", "");
        Assert.Equal($"https://dl.fbaipublicfiles.com/dinov2/{arch}/{file}", variant.CheckpointUrl.ToString());
        // Registers: offset 0 with antialias; the others: offset 0.1 without.
        Assert.Equal(registers > 0 ? (0.0, true) : (0.1, false), (c.InterpolateOffset, c.InterpolateAntialias));
        Assert.Equal(name.Contains("vitg") ? FfnLayer.SwiGluFused : FfnLayer.Mlp, c.Ffn);
    }

    [Fact]
    public void SwiGluHiddenWidthFollowsTheOfficialRounding()
    {
        // (int(4*D*2/3)+7)//8*8: 4096 for ViT-g (1536), 128 for the 48-wide fixture, (266+7)//8*8 = 272 for D=100.
        Assert.Equal(4096, new DinoV2Config(1536, 1, 1, FfnLayer.SwiGluFused).FfnHiddenDim);
        Assert.Equal(128, new DinoV2Config(48, 1, 1, FfnLayer.SwiGluFused).FfnHiddenDim);
        Assert.Equal(272, new DinoV2Config(100, 1, 1, FfnLayer.SwiGluFused).FfnHiddenDim);
        Assert.Equal(400, new DinoV2Config(100, 1, 1, FfnLayer.Mlp).FfnHiddenDim);
    }

    [Fact]
    public void VitS14CostsMatchThePublishedFigures()
    {
        var c = DinoV2Variants.Get("dinov2_vits14").Config;
        Assert.InRange(DinoV2Cost.FlopsPerImage(c, 224, 224) / 1e9, 12.24, 12.26);
        Assert.InRange(DinoV2Cost.Parameters(c) / 1e6, 21.0, 22.5);        // "21 M" in the DINOv2 model card
        Assert.InRange(DinoV2Cost.Parameters(DinoV2Variants.Get("dinov2_vitg14").Config) / 1e9, 1.1, 1.2); // "1.1 B"
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ProbeBenchException>(() => DinoV2Variants.Get("dinov2_vitx14"));
        Assert.Contains("dinov2_vitx14", e.Message);
        Assert.Contains("dinov2_vitl14_reg", e.Message);
    }

    [Fact]
    public void ConfigRejectsHeadsThatDoNotDivideTheWidth()
    {
        var e = Assert.Throws<ProbeBenchException>(() => new DinoV2Config(50, 2, 3).Validated("test.json"));
        Assert.Contains("test.json", e.Message);
    }
}
