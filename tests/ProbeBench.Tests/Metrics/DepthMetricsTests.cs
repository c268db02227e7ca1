using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Metrics;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Metrics;

public class DepthMetricsTests
{
    [SharedFact]
    public void Matches_the_reference_metrics_to_1e6_relative()
    {
        var tensors = FixtureArrays.Read(SharedFixtures.Path("fixtures", "depth", "depth_metrics.safetensors"));
        using var json = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("fixtures", "depth", "depth_metrics.json")));
        var expected = json.RootElement;

        var metrics = DepthMetrics.Compute(tensors.Floats["pred"], tensors.Floats["gt"],
            expected.GetProperty("min_depth").GetDouble(), expected.GetProperty("max_depth").GetDouble());

        Assert.Equal(expected.GetProperty("valid_pixels").GetInt64(), metrics.ValidPixels);
        AssertClose(expected, "a1", metrics.A1);
        AssertClose(expected, "a2", metrics.A2);
        AssertClose(expected, "a3", metrics.A3);
        AssertClose(expected, "abs_rel", metrics.AbsRel);
        AssertClose(expected, "sq_rel", metrics.SqRel);
        AssertClose(expected, "rmse", metrics.Rmse);
        AssertClose(expected, "rmse_log", metrics.RmseLog);
        AssertClose(expected, "log_10", metrics.Log10);
        AssertClose(expected, "silog", metrics.SiLog);
    }

    [SharedFact]
    public void Pooling_over_maps_one_by_one_equals_one_batch()
    {
        var tensors = FixtureArrays.Read(SharedFixtures.Path("fixtures", "depth", "depth_metrics.safetensors"));
        var pred = tensors.Floats["pred"];
        var gt = tensors.Floats["gt"];
        var mapSize = 48 * 64;
        var accumulator = new DepthMetrics.Accumulator();
        for (var m = 0; m < 4; m++)
            accumulator.Add(pred.AsSpan(m * mapSize, mapSize), gt.AsSpan(m * mapSize, mapSize));

        var pooled = accumulator.Result();
        var whole = DepthMetrics.Compute(pred, gt);
        Assert.Equal(whole.ValidPixels, pooled.ValidPixels);
        Assert.Equal(whole.Rmse, pooled.Rmse, 12);
        Assert.Equal(whole.SiLog, pooled.SiLog, 9);
    }

    [Fact]
    public void Perfect_prediction_scores_perfectly_and_invalid_pixels_are_ignored()
    {
        float[] gt = [0f, 1f, 2f, 4f, 12f];
        float[] pred = [5f, 1f, 2f, 4f, 0.5f];
        var metrics = DepthMetrics.Compute(pred, gt);
        Assert.Equal(3, metrics.ValidPixels);
        Assert.Equal(1.0, metrics.A1);
        Assert.Equal(0.0, metrics.AbsRel);
        Assert.Equal(0.0, metrics.Rmse);
        Assert.Equal(0.0, metrics.SiLog, 9);
    }

    [Fact]
    public void Scaled_prediction_keeps_silog_zero_but_not_abs_rel()
    {
        float[] gt = [1f, 2f, 3f, 5f];
        var pred = gt.Select(v => v * 2f).ToArray();
        var metrics = DepthMetrics.Compute(pred, gt);
        Assert.Equal(0.0, metrics.SiLog, 6);
        Assert.Equal(1.0, metrics.AbsRel, 9);
        Assert.Equal(0.0, metrics.A3);
    }

    [Fact]
    public void Invalid_inputs_fail_with_one_clear_error_each()
    {
        var lengths = Assert.Throws<ProbeBenchException>(() => DepthMetrics.Compute([1f, 2f], [1f]));
        Assert.Contains("ground truth", lengths.Message);
        var nonPositive = Assert.Throws<ProbeBenchException>(() => DepthMetrics.Compute([0f], [1f]));
        Assert.Contains("pixel 0", nonPositive.Message);
        var noValid = Assert.Throws<ProbeBenchException>(() => DepthMetrics.Compute([1f], [20f]));
        Assert.Contains("valid depth range", noValid.Message);
    }

    private static void AssertClose(JsonElement expected, string key, double actual)
    {
        var reference = expected.GetProperty(key).GetDouble();
        var relative = Math.Abs(actual - reference) / Math.Max(Math.Abs(reference), 1e-300);
        Assert.True(relative <= 1e-6, $"{key}: got {actual:R}, expected {reference:R} (relative error {relative:E2})");
    }
}
