using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

public sealed class StrictLoadingTests
{
    private static readonly DinoV2Config Tiny = new(EmbedDim: 24, Depth: 2, NumHeads: 2, ImageSize: 70);

    [Fact]
    public void RandomWeightsInTheExpectedLayoutLoad()
    {
        using var weights = OwnedWeights.Random(Tiny, seed: 1);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        Assert.Equal(DinoV2StateDictLayout.ExpectedShapes(Tiny).Keys.Order(), model.named_parameters().Select(p => p.name).Order());
    }

    [Fact]
    public void MissingKeyIsListed()
    {
        using var weights = OwnedWeights.Random(Tiny, seed: 1);
        weights.Remove("blocks.1.ls2.gamma");
        var e = Assert.Throws<ProbeBenchException>(() => DinoV2Backbone.Load(Tiny, weights, "ckpt.pth"));
        Assert.Contains("missing keys: blocks.1.ls2.gamma", e.Message);
        Assert.Contains("ckpt.pth", e.Message);
    }

    [Fact]
    public void UnexpectedKeysAreListed()
    {
        using var weights = OwnedWeights.Random(Tiny, seed: 1);
        weights.Add("head.weight", zeros(3, 24));
        weights.Add("blocks.2.norm1.weight", zeros(24));
        var e = Assert.Throws<ProbeBenchException>(() => DinoV2Backbone.Load(Tiny, weights, "ckpt.pth"));
        Assert.Contains("unexpected keys: blocks.2.norm1.weight, head.weight", e.Message);
    }

    [Fact]
    public void ShapeMismatchIsListedWithBothShapes()
    {
        using var weights = OwnedWeights.Random(Tiny, seed: 1);
        weights.Replace("blocks.0.attn.qkv.weight", zeros(72, 23));
        var e = Assert.Throws<ProbeBenchException>(() => DinoV2Backbone.Load(Tiny, weights, "ckpt.pth"));
        Assert.Contains("blocks.0.attn.qkv.weight is [72, 23] but the model needs [72, 24]", e.Message);
    }

    [Fact]
    public void AllProblemsComeInOneError()
    {
        var expected = DinoV2StateDictLayout.ExpectedShapes(Tiny);
        var actual = expected.Where(kv => kv.Key != "norm.bias").ToDictionary(kv => kv.Key, kv => kv.Value);
        actual["extra"] = [1];
        actual["cls_token"] = [1, 1, 25];
        var e = Assert.Throws<ProbeBenchException>(() => StrictStateDictCheck.Verify(expected, actual, "x"));
        Assert.Contains("missing keys: norm.bias", e.Message);
        Assert.Contains("unexpected keys: extra", e.Message);
        Assert.Contains("cls_token is [1, 1, 25]", e.Message);
    }

    [Fact]
    public void LayerScaleIsFoldedIntoTheProjections()
    {
        using var weights = OwnedWeights.Random(Tiny, seed: 3);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var gamma = weights["blocks.1.ls1.gamma"];
        using var folded = gamma.unsqueeze(1) * weights["blocks.1.attn.proj.weight"];
        Assert.True(parameters["blocks.1.attn.proj.weight"].allclose(folded));
        Assert.True(TensorComparison.Identical(parameters["blocks.1.ls1.gamma"], gamma));
        using var foldedBias = weights["blocks.0.ls2.gamma"] * weights["blocks.0.mlp.fc2.bias"];
        Assert.True(parameters["blocks.0.mlp.fc2.bias"].allclose(foldedBias));
        // Unscaled layers share the state dict's storage (no second copy of the weights).
        weights["blocks.0.attn.qkv.weight"].add_(1.0);
        Assert.True(TensorComparison.Identical(weights["blocks.0.attn.qkv.weight"], parameters["blocks.0.attn.qkv.weight"]));
    }
}
