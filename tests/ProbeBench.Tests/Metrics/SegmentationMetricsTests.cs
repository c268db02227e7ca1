using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Metrics;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Metrics;

/// <summary>mIoU, mAcc and aAcc exactly as mmseg computes them, against the reference label maps and figures.</summary>
public sealed class SegmentationMetricsTests
{
    private static readonly BootstrapOptions Bootstrap = new(200, 0);

    [SharedFact]
    public void Fixture_maps_give_mmsegs_areas_and_figures_including_a_class_only_ever_predicted()
    {
        var arrays = FixtureArrays.Read(SharedFixtures.Path("fixtures", "segmentation", "seg_metrics.safetensors"));
        using var json = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("fixtures", "segmentation", "seg_metrics.json")));
        var root = json.RootElement;
        var shape = root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var classes = root.GetProperty("classes").GetInt32();
        var gt = Ints(arrays, "gt");
        var pred = Ints(arrays, "pred");
        var pixels = shape[1] * shape[2];

        var scoring = new SegmentationScoring(classes, root.GetProperty("ignore_index").GetInt32());
        for (var n = 0; n < shape[0]; n++) scoring.AddImage(pred.AsSpan(n * pixels, pixels), gt.AsSpan(n * pixels, pixels));
        var m = scoring.Result(Bootstrap);

        Assert.Equal(Longs(root, "intersect"), m.Intersect);
        Assert.Equal(Longs(root, "union"), m.Union);
        Assert.Equal(Longs(root, "label_area"), m.LabelArea);
        Assert.Equal(Longs(root, "pred_area"), m.PredictedArea);
        // Ratios of whole counts, then a mean of at most 7 of them: equal to the reference to a few units of double rounding.
        var iou = root.GetProperty("iou").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var c = 0; c < classes; c++) Assert.Equal(iou[c], m.Iou[c], 1e-15);
        Assert.Equal(0.0, m.Iou[6]);
        Assert.True(double.IsNaN(m.Accuracy[6]), "a class never labelled has no accuracy");
        Assert.Equal(root.GetProperty("mIoU").GetDouble(), m.MeanIou, 1e-15);
        Assert.Equal(root.GetProperty("mAcc").GetDouble(), m.MeanAccuracy, 1e-15);
        Assert.Equal(root.GetProperty("aAcc").GetDouble(), m.AllAccuracy, 1e-15);
        Assert.InRange(m.MeanIou, m.MeanIouCiLow, m.MeanIouCiHigh);
        Assert.True(m.MeanIouCiHigh - m.MeanIouCiLow > 0, "four images resampled give an interval, not a point");
    }

    [Fact]
    public void Ignored_pixels_count_nowhere_whatever_was_predicted_there()
    {
        var scoring = new SegmentationScoring(2);
        scoring.AddImage([0, 1, 1, 0], [0, 255, 1, 255]);
        var m = scoring.Result(Bootstrap);
        Assert.Equal([1L, 1L], m.PredictedArea);
        Assert.Equal([1.0, 1.0], m.Iou);
        Assert.Equal(1.0, m.AllAccuracy);
    }

    [Fact]
    public void A_class_neither_labelled_nor_predicted_is_left_out_of_the_means()
    {
        var scoring = new SegmentationScoring(3);
        scoring.AddImage([0, 0, 1, 1], [0, 1, 1, 1]);
        var m = scoring.Result(Bootstrap);
        Assert.True(double.IsNaN(m.Iou[2]) && double.IsNaN(m.Accuracy[2]));
        Assert.Equal((0.5 + 2.0 / 3) / 2, m.MeanIou, 1e-15);
        Assert.Equal((1.0 + 2.0 / 3) / 2, m.MeanAccuracy, 1e-15);
    }

    [Fact]
    public void A_label_outside_the_classes_is_an_error_naming_the_class()
    {
        var scoring = new SegmentationScoring(3);
        var error = Assert.Throws<ProbeBenchException>(() => scoring.AddImage([0, 0], [0, 7]));
        Assert.Contains("class 7", error.Message);
    }

    private static int[] Ints(FixtureArrays arrays, string name) =>
        arrays.Ints.TryGetValue(name, out var ints) ? ints : arrays.Floats[name].Select(v => checked((int)v)).ToArray();

    private static long[] Longs(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => (long)e.GetDouble()).ToArray();
}
