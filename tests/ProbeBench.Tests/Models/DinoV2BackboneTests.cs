using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

public sealed class DinoV2BackboneTests
{
    private static readonly DinoV2Config Tiny = new(EmbedDim: 24, Depth: 3, NumHeads: 2, NumRegisterTokens: 2, ImageSize: 70);

    [Fact]
    public void ForwardBlocksMatchesTheFullForwardAtEveryRequestedBlock()
    {
        using var scope = NewDisposeScope();
        using var weights = OwnedWeights.Random(Tiny, 5);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        var images = randn(2, 3, 28, 42, generator: new Generator(7));
        var all = model.ForwardBlocks(images, [0, 1, 2], norm: false);
        var some = model.ForwardBlocks(images, [1, 0], norm: true);
        Assert.Equal([0, 1], some.Keys);
        Assert.Equal([2, 1 + 2 + 6, 24], some[1].shape);
        var features = model.ForwardFeatures(images);
        Assert.True(all[2].allclose(features.PreNorm));
        Assert.False(all[1].allclose(all[2]));
        var normedByHand = nn.functional.layer_norm(all[1], [24], weights["norm.weight"], weights["norm.bias"], 1e-6);
        Assert.True(some[1].allclose(normedByHand, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ForwardBlocksStopsAfterTheDeepestRequestedBlock()
    {
        using var scope = NewDisposeScope();
        using var weights = OwnedWeights.Random(Tiny, 5);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        // Break the last block: any pass that runs it fails.
        model.named_parameters().Single(p => p.name == "blocks.2.mlp.fc1.weight").parameter.Dispose();
        var images = randn(1, 3, 28, 28, generator: new Generator(3));
        var early = model.ForwardBlocks(images, [0, 1], norm: true);
        Assert.Equal([0, 1], early.Keys);
        Assert.ThrowsAny<Exception>(() => model.ForwardBlocks(images, [2], norm: true));
    }

    [Fact]
    public void IntermediateLayersSplitTokensAndReshapeRowMajor()
    {
        using var scope = NewDisposeScope();
        using var weights = OwnedWeights.Random(Tiny, 5);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        var images = randn(2, 3, 28, 42, generator: new Generator(8));
        var flat = model.GetIntermediateLayers(images, [2, 0]);
        Assert.Equal([0, 2], flat.Select(l => l.Block));
        var reshaped = model.GetIntermediateLayers(images, 1, reshape: true);
        Assert.Equal([2, 24, 2, 3], reshaped[0].Patch.shape);
        Assert.True(TensorComparison.Identical(reshaped[0].Patch.flatten(2).transpose(1, 2), flat[1].Patch));
        var features = model.ForwardFeatures(images);
        Assert.Equal([2, 2, 24], features.RegisterTokens.shape);
        Assert.True(TensorComparison.Identical(features.ClsToken, flat[1].Cls));
        var linear = model.LinearInput(images, 2, avgPool: true);
        Assert.Equal([2, 3 * 24], linear.shape);
        Assert.True(TensorComparison.Identical(linear[.., 24..48], flat[1].Cls)); // last 2 blocks: 1, 2
        Assert.True(linear[.., 48..].allclose(flat[1].Patch.mean([1])));
    }

    [Theory]
    [InlineData(27, 28)]
    [InlineData(28, 30)]
    public void ImageSidesMustBeMultiplesOfThePatch(int h, int w)
    {
        using var weights = OwnedWeights.Random(Tiny, 5);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        using var images = zeros(1, 3, h, w);
        var e = Assert.Throws<ProbeBenchException>(() => model.ForwardFeatures(images));
        Assert.Contains("multiples of the patch size 14", e.Message);
    }

    [Fact]
    public void BlockIndicesOutsideTheModelAreRejected()
    {
        using var weights = OwnedWeights.Random(Tiny, 5);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        using var images = zeros(1, 3, 28, 28);
        Assert.Throws<ProbeBenchException>(() => model.ForwardBlocks(images, [3], norm: true));
        Assert.Throws<ProbeBenchException>(() => model.GetIntermediateLayers(images, 4));
    }

    [Fact]
    public void ModuleToHalfConvertsEveryParameterAndStillRuns()
    {
        // How far a bf16 forward drifts from fp32 depends on the CPU's kernels (native avx512_bf16 dot products keep
        // more intermediates in bf16: 0.16 relative max error on random weights on an AMD EPYC, under 0.02 elsewhere),
        // so the numerical bound lives in the fixture conformance test. What holds on every machine: converting the
        // module after loading gives exactly the model that loading in bf16 gives, and it still runs.
        using var scope = NewDisposeScope();
        using var weights = OwnedWeights.Random(Tiny, 5);
        using var model = DinoV2Backbone.Load(Tiny, weights, "random");
        using var loadedInBf16 = DinoV2Backbone.Load(Tiny, weights, "random", bfloat16);
        var images = randn(1, 3, 28, 28, generator: new Generator(9));
        var reference = model.ForwardFeatures(images).PatchTokens;
        model.to(bfloat16);
        Assert.All(model.parameters(), p => Assert.Equal(bfloat16, p.dtype));
        var half = model.ForwardFeatures(images).PatchTokens;
        Assert.Equal(bfloat16, half.dtype);
        Assert.Equal(reference.shape, half.shape);
        Assert.True(half.isfinite().all().item<bool>());
        Assert.True(TensorComparison.Identical(half, loadedInBf16.ForwardFeatures(images).PatchTokens));
    }

    [SharedFact]
    public void OffsetInterpolationReachesTheKernelAsScaleFactors()
    {
        // With offset 0.1 the official code passes scale_factor=(h+0.1)/37; if TorchSharp dropped it and only the
        // output size reached the kernel, the result would equal the size-based interpolation.
        using var scope = NewDisposeScope();
        using var weights = DinoV2Fixtures.HfWeightsAsOfficial("vit_tiny_p14");
        var pos = weights["pos_embed"];
        var withOffset = PositionEmbedding.ForGrid(pos, 16, 16, 0.1, antialias: false);
        var bySize = PositionEmbedding.ForGrid(pos, 16, 16, 0.0, antialias: false);
        Assert.Equal([1, 257, 48], withOffset.shape);
        Assert.True(TensorComparison.RelativeMaxError(withOffset, bySize) > 1e-2);
        Assert.True(TensorComparison.Identical(PositionEmbedding.ForGrid(pos, 37, 37, 0.1, false), pos));
    }
}
