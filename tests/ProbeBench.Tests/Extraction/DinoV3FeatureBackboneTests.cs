using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models.DinoV3;
using ProbeBench.Tests.Models;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Extraction;

/// <summary>Every layer choice, through the extraction path (one pass, then composition), against the official DINOv3 outputs.</summary>
public class DinoV3FeatureBackboneTests
{
    private const double Tolerance = 1e-4;

    [SharedTheory]
    [InlineData("dinov3_tiny_p16", "sq224")]
    [InlineData("dinov3_tiny_p16_swiglu", "rect112x160")]
    public void Every_layer_choice_reads_the_official_tokens_and_never_the_storage_tokens(string variant, string input)
    {
        using var scope = NewDisposeScope();
        using var model = DinoV3Fixtures.Load(variant);
        using var expected = DinoV3Fixtures.Expected(variant);
        var backbone = new DinoV3FeatureBackbone(model);
        var depth = backbone.Depth;
        var last = depth - 1;
        var n = Math.Min(4, depth);
        var choices = LayerChoiceParser.ParseAll(
            ["cls@last", $"cls@last{n}", "cls+avgpool@last", $"cls+avgpool@last{n}", "cls@0", "avgpool@1", "avgpool@-1", "every-block", "every-block-avgpool", "patch@last", "patch@0,2"], depth);
        var images = expected[$"{input}.input"];
        var tokens = backbone.ForwardBlocks(images, choices.SelectMany(c => c.Blocks).Distinct().ToArray());
        Tensor Composed(string name) => LayerFeatureComposer.Compose(LayerChoiceParser.Parse(name, depth).Single(), tokens);
        Tensor Cls(int block) => expected[$"{input}.layers_norm.{block}.cls"];
        Tensor Patch(int block) => expected[$"{input}.layers_norm.{block}.patch"];
        void Same(Tensor ours, Tensor reference, string what) =>
            Assert.True(TensorComparison.RelativeMaxError(ours, reference) <= Tolerance, $"{variant} {what}");

        Same(Composed("cls@last"), expected[$"{input}.linear_input.n1.avgpool0"], "cls@last");
        Same(Composed($"cls@last{n}"), expected[$"{input}.linear_input.n{n}.avgpool0"], $"cls@last{n}");
        Same(Composed("cls+avgpool@last"), expected[$"{input}.linear_input.n1.avgpool1"], "cls+avgpool@last");
        Same(Composed($"cls+avgpool@last{n}"), expected[$"{input}.linear_input.n{n}.avgpool1"], $"cls+avgpool@last{n}");
        Same(Composed("cls@0"), Cls(0), "cls@0");
        Same(Composed("avgpool@1"), Patch(1).mean([1]), "avgpool@1");
        Same(Composed($"avgpool@{last}"), Patch(last).mean([1]), "avgpool@-1");
        foreach (var block in Enumerable.Range(0, depth))
        {
            Same(Composed($"cls@{block}"), Cls(block), $"every-block {block}");
            Same(Composed($"avgpool@{block}"), Patch(block).mean([1]), $"every-block-avgpool {block}");
        }
        var patches = Patch(last).shape[1];
        Assert.Equal(expected[$"{input}.x_norm_patchtokens"].shape[1], patches);
        Same(Composed("patch@last"), cat([Cls(last).unsqueeze(1), Patch(last)], 1).flatten(1), "patch@last");
        Same(Composed("patch@0,2"), cat([cat([Cls(0).unsqueeze(1), Patch(0)], 1).flatten(1), cat([Cls(2).unsqueeze(1), Patch(2)], 1).flatten(1)], 1), "patch@0,2");
        foreach (var choice in choices)
            Assert.Equal(choice.FeatureDim(backbone.EmbedDim, (int)patches), LayerFeatureComposer.Compose(choice, tokens).shape[1]);
    }
}
