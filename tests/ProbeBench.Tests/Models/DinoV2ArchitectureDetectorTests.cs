using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

public sealed class DinoV2ArchitectureDetectorTests
{
    public static TheoryData<string> OfficialNames => new(DinoV2Variants.All.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(OfficialNames))]
    public void EveryOfficialLayoutIsRecognised(string name)
    {
        var variant = DinoV2Variants.Get(name);
        var detected = DinoV2ArchitectureDetector.Detect(DinoV2StateDictLayout.ExpectedShapes(variant.Config), name);
        Assert.Same(variant, detected.Variant);
        Assert.Equal(variant.Config, detected.ToConfig(null, name));
    }

    [SharedTheory]
    [InlineData("vit_tiny_p14")]
    [InlineData("vit_tiny_p14_reg4")]
    [InlineData("vit_tiny_p14_swiglu")]
    public void FixtureWeightsGiveTheirConfigOnceHeadsAreKnown(string variant)
    {
        using var weights = DinoV2Fixtures.HfWeightsAsOfficial(variant);
        var detected = DinoV2ArchitectureDetector.Detect(BackboneCheckpoints.Shapes(weights), variant);
        Assert.Null(detected.Variant);
        Assert.Equal(DinoV2Fixtures.Config(variant), detected.ToConfig(3, variant));
        var e = Assert.Throws<ProbeBenchException>(() => detected.ToConfig(null, variant));
        Assert.Contains("heads", e.Message);
    }

    [Fact]
    public void NonDinoV2StateDictIsRejectedByKey()
    {
        var e = Assert.Throws<ProbeBenchException>(() =>
            DinoV2ArchitectureDetector.Detect(new Dictionary<string, long[]> { ["fc.weight"] = [10, 10] }, "resnet.pth"));
        Assert.Contains("patch_embed.proj.weight", e.Message);
        Assert.Contains("resnet.pth", e.Message);
    }
}
