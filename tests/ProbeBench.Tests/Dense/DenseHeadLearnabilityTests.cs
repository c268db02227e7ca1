using ProbeBench.Core.Cache;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Heads.Depth;
using ProbeBench.Core.Heads.Segmentation;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;
using Xunit.Abstractions;

namespace ProbeBench.Tests.Dense;

/// <summary>
/// Each dense head learns what a linear function of a patch feature gives it (<see cref="SyntheticPatchGrids"/>), through
/// its real path (streamed batches, cached labels, scoring): RMSE at most half a constant predictor's (the train mean
/// depth), mIoU at least 40 points above a constant predictor's (the train majority class everywhere).
/// </summary>
public sealed class DenseHeadLearnabilityTests(ITestOutputHelper output)
{
    private static readonly LayerChoice Choice = new("patch@0", LayerReadout.Patch, [0]);

    private static HeadContext Context(int steps, double learningRate) => new(
        new HeadSettings(Seed: 1, BootstrapSamples: 50, DenseSteps: steps, DenseBatchSize: 8, DenseLearningRate: learningRate, DenseUpsample: 1),
        new ResultRow { Model = "m", Dataset = "d" });

    [Fact]
    public void Depth_beats_the_mean_depth_by_half_its_rmse()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.File("cache"));
        var train = SyntheticPatchGrids.Depth(cache, "train", 32, seed: 1);
        var test = SyntheticPatchGrids.Depth(cache, "test", 12, seed: 2);
        var row = new DepthHead().RunDense(Choice, train, test, Context(steps: 300, learningRate: 1e-2)).Single();

        var constant = Constant(train, test, (all, _) => all.Average());
        output.WriteLine($"probe rmse {row.MetricValue:F4} m, constant {constant:F4} m");
        Assert.Equal("rmse", row.Metric);
        Assert.True(row.MetricValue <= 0.5 * constant, $"probe rmse {row.MetricValue:F4} vs the constant predictor's {constant:F4}");
        Assert.InRange(row.MetricValue!.Value, row.MetricCiLow!.Value, row.MetricCiHigh!.Value);
        Assert.Equal(0, row.BlockIndex);
    }

    [Fact]
    public void Segmentation_beats_the_majority_class_by_40_miou_points()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.File("cache"));
        var train = SyntheticPatchGrids.Segmentation(cache, "train", 32, seed: 3);
        var test = SyntheticPatchGrids.Segmentation(cache, "test", 12, seed: 4);
        var row = new SegmentationHead().RunDense(Choice, train, test, Context(steps: 150, learningRate: 1e-2)).Single();

        var majority = Constant(train, test, (all, _) => all.GroupBy(v => v).MaxBy(g => g.Count())!.Key, segmentation: true);
        output.WriteLine($"probe mIoU {row.MetricValue:P2}, majority class {majority:P2}, mAcc {row.MeanAccuracy:P2}, aAcc {row.PixelAccuracy:P2}");
        Assert.Equal("miou", row.Metric);
        Assert.True(row.MetricValue >= majority + 0.4, $"probe mIoU {row.MetricValue:P2} vs the majority class's {majority:P2}");
        Assert.Equal(3, row.Classes);
    }

    // The score of predicting one value everywhere, chosen from the train labels.
    private static double Constant(Core.Heads.Dense.DenseSplit train, Core.Heads.Dense.DenseSplit test, Func<IEnumerable<float>, int, double> choose, bool segmentation = false)
    {
        float[] All(Core.Heads.Dense.DenseSplit split)
        {
            var values = new float[split.Labels.Rows * split.Labels.Dim];
            split.Labels.Read(Enumerable.Range(0, split.Labels.Rows).ToArray(), values);
            return values;
        }
        var value = (float)choose(All(train).Where(v => segmentation || v > 0), 0);
        var truth = All(test);
        var pixels = test.Labels.Dim;
        if (segmentation)
        {
            var scoring = new SegmentationScoring(3);
            for (var n = 0; n < test.Labels.Rows; n++) scoring.AddImage(Enumerable.Repeat((int)value, pixels).ToArray(), truth.AsSpan(n * pixels, pixels));
            return scoring.Result(new BootstrapOptions(10, 0)).MeanIou;
        }
        var depth = new DepthScoring();
        for (var n = 0; n < test.Labels.Rows; n++) depth.AddImage(Enumerable.Repeat(value, pixels).ToArray(), truth.AsSpan(n * pixels, pixels));
        return depth.Result(new BootstrapOptions(10, 0)).PerImage.Rmse;
    }
}
