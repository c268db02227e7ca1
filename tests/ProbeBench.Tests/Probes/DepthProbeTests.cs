using ProbeBench.Core;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Probes;

public class DepthProbeTests(ITestOutputHelper output)
{
    private static readonly DepthProbeOptions Fast = new()
    {
        FeatureUpsample = 1, Steps = 150, BatchSize = 8, LearningRate = 1e-2, WarmUpSteps = 30, Seed = 3,
    };

    [Theory]
    [InlineData(1, DepthHeadOutput.Bins, 1, 1e-2)]
    [InlineData(2, DepthHeadOutput.Bins, 1, 1e-2)]
    [InlineData(1, DepthHeadOutput.Direct, 1, 5e-2)]
    public void Trained_probe_clearly_beats_a_constant_mean_depth_on_held_out_scenes(int blocks, DepthHeadOutput head, int upsample, double learningRate)
    {
        var (trainFeatures, trainDepth) = SyntheticDepthScenes.Make(48, blocks, seed: 1);
        var (testFeatures, testDepth) = SyntheticDepthScenes.Make(16, blocks, seed: 2);
        using var probe = DepthProbeTrainer.Train(trainFeatures, trainDepth,
            Fast with { Output = head, FeatureUpsample = upsample, LearningRate = learningRate });

        var probeMetrics = probe.Evaluate(testFeatures, testDepth);
        var baselineMetrics = ConstantMeanBaseline(trainDepth, testDepth);
        output.WriteLine($"probe:    {probeMetrics}");
        output.WriteLine($"baseline: {baselineMetrics}");
        Assert.True(probeMetrics.Rmse < 0.6 * baselineMetrics.Rmse,
            $"probe rmse {probeMetrics.Rmse:F3} vs constant-mean rmse {baselineMetrics.Rmse:F3}");
        Assert.True(probeMetrics.AbsRel < 0.6 * baselineMetrics.AbsRel,
            $"probe abs_rel {probeMetrics.AbsRel:F3} vs constant-mean abs_rel {baselineMetrics.AbsRel:F3}");
        Assert.True(probeMetrics.A1 > baselineMetrics.A1 + 0.2, $"probe a1 {probeMetrics.A1:F3} vs constant-mean a1 {baselineMetrics.A1:F3}");
    }

    [Fact]
    public void Same_seed_gives_identical_predictions_and_another_seed_does_not()
    {
        var (features, depth) = SyntheticDepthScenes.Make(16, 1, seed: 4);
        var options = Fast with { Steps = 10, WarmUpSteps = 5 };
        using var first = DepthProbeTrainer.Train(features, depth, options);
        using var second = DepthProbeTrainer.Train(features, depth, options);
        using var other = DepthProbeTrainer.Train(features, depth, options with { Seed = 9 });

        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.Predict(features, 32, 32).Values, second.Predict(features, 32, 32).Values);
        Assert.NotEqual(first.Predict(features, 32, 32).Values, other.Predict(features, 32, 32).Values);
    }

    [Fact]
    public void Predictions_have_the_requested_resolution_and_stay_inside_the_bin_range()
    {
        var (features, depth) = SyntheticDepthScenes.Make(8, 1, seed: 5);
        using var probe = DepthProbeTrainer.Train(features, depth, Fast with { Steps = 5, FeatureUpsample = 2 });
        var maps = probe.Predict(features, 20, 24, batchSize: 3);
        Assert.Equal((8, 20, 24), (maps.Images, maps.Height, maps.Width));
        Assert.All(maps.Values, v => Assert.InRange(v, 1e-3f, 10f));
    }

    [Fact]
    public void SigLoss_follows_the_dinov2_formula_on_valid_pixels_with_warm_up()
    {
        float[] pred = [1f, 2f, 4f, 7f, 3f];
        float[] gt = [2f, 2f, 2f, 0f, 11f]; // the last two pixels are invalid
        var g = new[] { Math.Log(1.001) - Math.Log(2.001), Math.Log(2.001) - Math.Log(2.001), Math.Log(4.001) - Math.Log(2.001) };
        var mean = g.Average();
        var unbiasedVariance = g.Sum(v => (v - mean) * (v - mean)) / (g.Length - 1);

        using var p = tensor(pred);
        using var t = tensor(gt);
        using var full = DepthSigLoss.Compute(p, t, 1e-3, 10, warmUp: false)!;
        using var warm = DepthSigLoss.Compute(p, t, 1e-3, 10, warmUp: true)!;
        Assert.Equal(Math.Sqrt(unbiasedVariance + 0.15 * mean * mean), full.item<float>(), 5);
        Assert.Equal(Math.Sqrt(0.15 * mean * mean), warm.item<float>(), 5);
        Assert.Null(DepthSigLoss.Compute(p, tensor(new[] { 0f, 0f, 0f, 0f, 0f }), 1e-3, 10, warmUp: false));
    }

    public static TheoryData<string, string> InvalidInputs() => new()
    {
        { "nan", "NaN or infinite" },
        { "image-count", "4 maps for 6 feature images" },
        { "class-blocks", "class tokens of 0" },
        { "token-length", "patch-token values" },
        { "no-valid", "no pixel inside the valid range" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Invalid_input_fails_with_one_clear_error(string kind, string expectedFragment)
    {
        var (features, depth) = SyntheticDepthScenes.Make(6, 1, seed: 6);
        switch (kind)
        {
            case "nan": features.PatchTokens[0][3] = float.NaN; break;
            case "image-count": depth = depth with { Values = depth.Values[..(4 * 32 * 32)], Images = 4 }; break;
            case "class-blocks": features = features with { ClassTokens = [] }; break;
            case "token-length": features = features with { PatchTokens = [features.PatchTokens[0][1..]] }; break;
            case "no-valid": depth = depth with { Values = new float[depth.Values.Length] }; break;
        }
        var error = Assert.Throws<ProbeBenchException>(() => DepthProbeTrainer.Train(features, depth, Fast with { Steps = 1 }));
        Assert.Contains(expectedFragment, error.Message);
    }

    [Fact]
    public void Predicting_with_features_of_another_shape_fails_clearly()
    {
        var (features, depth) = SyntheticDepthScenes.Make(4, 1, seed: 7);
        var (twoBlocks, _) = SyntheticDepthScenes.Make(4, 2, seed: 7);
        using var probe = DepthProbeTrainer.Train(features, depth, Fast with { Steps = 1 });
        var error = Assert.Throws<ProbeBenchException>(() => probe.Predict(twoBlocks, 32, 32));
        Assert.Contains("48 channels but the probe was trained on 24", error.Message); // (patch + class token) × 12 channels × blocks
    }

    private static DepthMetrics ConstantMeanBaseline(DepthMaps train, DepthMaps test)
    {
        var valid = train.Values.Where(v => v > 1e-3 && v < 10).ToArray();
        var mean = (float)valid.Average(v => (double)v);
        return DepthMetrics.Compute(Enumerable.Repeat(mean, test.Values.Length).ToArray(), test.Values);
    }
}
