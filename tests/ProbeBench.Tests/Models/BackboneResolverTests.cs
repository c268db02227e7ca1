using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;

namespace ProbeBench.Tests.Models;

/// <summary>The one model-name resolver that run, bench, extract, inspect and models share.</summary>
public sealed class BackboneResolverTests
{
    [Theory]
    [InlineData("dinov2_vits14", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vits14/dinov2_vits14_pretrain.pth")]
    [InlineData("dinov2_vitb14", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vitb14/dinov2_vitb14_pretrain.pth")]
    [InlineData("dinov2_vitl14", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vitl14/dinov2_vitl14_pretrain.pth")]
    [InlineData("dinov2_vitg14", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vitg14/dinov2_vitg14_pretrain.pth")]
    [InlineData("dinov2_vits14_reg", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vits14/dinov2_vits14_reg4_pretrain.pth")]
    [InlineData("dinov2_vitg14_reg4", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vitg14/dinov2_vitg14_reg4_pretrain.pth")]
    [InlineData("DINOv2_ViTB14_reg", "https://dl.fbaipublicfiles.com/dinov2/dinov2_vitb14/dinov2_vitb14_reg4_pretrain.pth")]
    public void Urls_follow_the_published_pattern(string name, string url)
    {
        var checkpoint = BackboneFamilies.GetVariant(name).Checkpoint;
        Assert.Equal(url, checkpoint.Url?.ToString());
        Assert.Equal(url[(url.LastIndexOf('/') + 1)..], checkpoint.FileName);
    }

    [Theory]
    [InlineData("s", "dinov2_vits14")]
    [InlineData("b", "dinov2_vitb14")]
    [InlineData("L", "dinov2_vitl14")]
    [InlineData("g_reg", "dinov2_vitg14_reg")]
    [InlineData("s14", "dinov2_vits14")]
    [InlineData("b14_reg4", "dinov2_vitb14_reg")]
    [InlineData("vitl14", "dinov2_vitl14")]
    [InlineData("vits14_reg", "dinov2_vits14_reg")]
    [InlineData(" dinov2_vits14_reg4 ", "dinov2_vits14_reg")]
    [InlineData("dinov2_s", "dinov2_vits14")]
    public void Short_names_resolve_to_the_official_variant(string name, string official)
    {
        Assert.Equal(official, BackboneFamilies.GetVariant(name).Name);
        Assert.Equal(official, DinoV2Variants.Get(name).Name);
    }

    [Fact]
    public void Eight_checkpoints_are_known()
    {
        var checkpoints = BackboneFamilies.Variants.Where(v => v.Config.Family == "dinov2").Select(v => v.Checkpoint).ToList();
        Assert.Equal(8, checkpoints.Count);
        Assert.Equal(8, checkpoints.Select(c => c.FileName).Distinct().Count());
        Assert.All(checkpoints, c => Assert.Equal(c.Name, BackboneFamilies.GetVariant(c.Name).Name));
    }

    [Theory]
    [InlineData("dinov2_vith14")]
    [InlineData("x")]
    [InlineData("s15")]
    [InlineData("dinov2_vits14_reg5")]
    public void Unknown_name_lists_the_known_ones_and_the_short_forms(string name)
    {
        Assert.Null(BackboneFamilies.FindVariant(name));
        var error = Assert.Throws<ProbeBenchException>(() => BackboneFamilies.GetVariant(name));
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("dinov2_vitl14_reg", error.Message);
        Assert.Contains("s, b, l, g", error.Message);
    }
}
