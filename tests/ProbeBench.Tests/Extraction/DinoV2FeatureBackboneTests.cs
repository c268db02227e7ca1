using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Tests.Models;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Extraction;

public class DinoV2FeatureBackboneTests
{
    /// <summary>The extraction path (one pass, then composition) gives the official linear-eval inputs.</summary>
    [SharedTheory]
    [InlineData("vit_tiny_p14", "cls+avgpool@last4", "n4.avgpool1")]
    [InlineData("vit_tiny_p14_reg4", "cls@last4", "n4.avgpool0")]
    [InlineData("vit_tiny_p14_swiglu", "cls+avgpool@last", "n1.avgpool1")]
    [InlineData("vit_tiny_p14", "cls@last", "n1.avgpool0")]
    public void Composed_layer_choices_match_the_official_linear_input(string variant, string choiceText, string fixtureName)
    {
        using var scope = NewDisposeScope();
        using var model = DinoV2Fixtures.LoadFromHf(variant);
        using var expected = DinoV2Fixtures.Expected(variant);
        var backbone = new DinoV2FeatureBackbone(model);
        var choices = LayerChoiceParser.ParseAll([choiceText, "cls@0", "avgpool@1"], backbone.Depth);

        var tokens = backbone.ForwardBlocks(expected["sq224.input"], choices.SelectMany(c => c.Blocks).Distinct().ToArray());
        var composed = LayerFeatureComposer.Compose(choices[0], tokens);

        Assert.True(TensorComparison.RelativeMaxError(composed, expected[$"sq224.linear_input.{fixtureName}"]) <= 1e-4);
        Assert.True(TensorComparison.RelativeMaxError(LayerFeatureComposer.Compose(choices[1], tokens), expected["sq224.layers_norm.0.cls"]) <= 1e-4);
        Assert.True(TensorComparison.RelativeMaxError(LayerFeatureComposer.Compose(choices[2], tokens), expected["sq224.layers_norm.1.patch"].mean([1])) <= 1e-4);
    }
}
