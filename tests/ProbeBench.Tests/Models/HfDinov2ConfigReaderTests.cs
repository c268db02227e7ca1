using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

public sealed class HfDinov2ConfigReaderTests
{
    [SharedTheory]
    [InlineData("vit_tiny_p14", 4, FfnLayer.Mlp, 0, 0.1, false)]
    [InlineData("vit_tiny_p14_reg4", 4, FfnLayer.Mlp, 4, 0.0, true)]
    [InlineData("vit_tiny_p14_swiglu", 3, FfnLayer.SwiGluFused, 0, 0.1, false)]
    public void FixtureConfigsMatchTheirMeta(string variant, int depth, FfnLayer ffn, int registers, double offset, bool antialias)
    {
        var c = DinoV2Fixtures.Config(variant);
        Assert.Equal(new DinoV2Config(48, depth, 3, ffn, registers, offset, antialias), c);
        Assert.Equal(ffn == FfnLayer.SwiGluFused ? 128 : 192, c.FfnHiddenDim);
    }

    [Fact]
    public void MissingRequiredKeyIsNamed()
    {
        var e = Assert.Throws<ProbeBenchException>(() =>
            HfDinov2ConfigReader.Parse("""{"model_type":"dinov2","hidden_size":48,"num_attention_heads":3}""", "cfg.json"));
        Assert.Contains("num_hidden_layers", e.Message);
        Assert.Contains("cfg.json", e.Message);
    }

    [Theory]
    [InlineData("""{"model_type":"vit","hidden_size":48,"num_hidden_layers":2,"num_attention_heads":3}""", "model_type")]
    [InlineData("""{"model_type":"dinov2","hidden_size":"48","num_hidden_layers":2,"num_attention_heads":3}""", "hidden_size")]
    [InlineData("""{"model_type":"dinov2","hidden_size":48,"num_hidden_layers":2,"num_attention_heads":3,"hidden_act":"relu"}""", "hidden_act")]
    [InlineData("""{"model_type":"dinov2",""", "not valid JSON")]
    public void BadConfigsAreOneClearError(string json, string named)
    {
        var e = Assert.Throws<ProbeBenchException>(() => HfDinov2ConfigReader.Parse(json, "cfg.json"));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void RegisterModelsDefaultToFourRegisters()
    {
        var c = HfDinov2ConfigReader.Parse(
            """{"model_type":"dinov2_with_registers","hidden_size":384,"num_hidden_layers":12,"num_attention_heads":6,"image_size":518}""", "cfg.json");
        Assert.Equal(DinoV2Variants.Get("dinov2_vits14_reg").Config, c);
    }
}
