using ProbeBench.Core;
using ProbeBench.Core.Extraction;

namespace ProbeBench.Tests.Extraction;

public class LayerChoiceParserTests
{
    [Theory]
    [InlineData("cls@last", "cls@last", LayerReadout.Cls, new[] { 11 }, 384)]
    [InlineData("cls@last4", "cls@last4", LayerReadout.Cls, new[] { 8, 9, 10, 11 }, 4 * 384)]
    [InlineData("cls+avgpool@last", "cls+avgpool@last", LayerReadout.ClsAvgpool, new[] { 11 }, 2 * 384)]
    [InlineData("CLS+avgpool@last4", "cls+avgpool@last4", LayerReadout.ClsAvgpool, new[] { 8, 9, 10, 11 }, 5 * 384)]
    [InlineData("cls@3", "cls@3", LayerReadout.Cls, new[] { 3 }, 384)]
    [InlineData("cls@-1", "cls@11", LayerReadout.Cls, new[] { 11 }, 384)]
    [InlineData("avgpool@5", "avgpool@5", LayerReadout.Avgpool, new[] { 5 }, 384)]
    [InlineData("patch@last", "patch@last", LayerReadout.Patch, new[] { 11 }, 257 * 384)]
    [InlineData("patch@11,3,7", "patch@3,7,11", LayerReadout.Patch, new[] { 3, 7, 11 }, 3 * 257 * 384)]
    public void Parses_the_documented_forms(string text, string name, LayerReadout readout, int[] blocks, int dim)
    {
        var choice = Assert.Single(LayerChoiceParser.Parse(text, depth: 12));
        Assert.Equal(name, choice.Name);
        Assert.Equal(readout, choice.Readout);
        Assert.Equal(blocks, choice.Blocks);
        Assert.Equal(dim, choice.FeatureDim(384, 256));
    }

    [Fact]
    public void Every_block_expands_to_one_cls_choice_per_block_and_duplicates_collapse()
    {
        var all = LayerChoiceParser.ParseAll(["cls@last", "every-block", "cls@3"], depth: 4);
        Assert.Equal(["cls@last", "cls@0", "cls@1", "cls@2"], all.Select(c => c.Name));
        Assert.Equal([3, 0, 1, 2], all.Select(c => c.BlockIndex!.Value));
        Assert.Null(LayerChoiceParser.Parse("cls@last4", 4)[0].BlockIndex);
    }

    [Theory]
    [InlineData("cls", "not recognised")]
    [InlineData("cls@", "not recognised")]
    [InlineData("avgpool@last4", "not recognised")]
    [InlineData("foo@3", "not recognised")]
    [InlineData("cls@12", "blocks 0..11")]
    [InlineData("cls@last13", "last 13 blocks of a backbone with 12")]
    [InlineData("cls@lastx", "not recognised")]
    public void Rejects_bad_choices_naming_them(string text, string fragment)
    {
        var e = Assert.Throws<ProbeBenchException>(() => LayerChoiceParser.Parse(text, depth: 12));
        Assert.Contains(fragment, e.Message);
        Assert.Contains($"'{text}'", e.Message);
    }
}
