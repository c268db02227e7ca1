using ProbeBench.Core;
using ProbeBench.Core.Weights;

namespace ProbeBench.Tests.Weights;

public sealed class OfficialCheckpointsTests
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
        var checkpoint = OfficialCheckpoints.Get(name);
        Assert.Equal(url, checkpoint.Url.ToString());
        Assert.Equal(url[(url.LastIndexOf('/') + 1)..], checkpoint.FileName);
    }

    [Fact]
    public void Eight_checkpoints_are_known()
    {
        Assert.Equal(8, OfficialCheckpoints.All.Count);
        Assert.Equal(8, OfficialCheckpoints.All.Select(c => c.FileName).Distinct().Count());
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ProbeBenchException>(() => OfficialCheckpoints.Get("dinov2_vith14"));
        Assert.Contains("'dinov2_vith14'", error.Message);
        Assert.Contains("dinov2_vitl14_reg", error.Message);
    }
}
