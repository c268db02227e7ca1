using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Metrics;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Metrics;

/// <summary>
/// A depth head's score: the mean over test images of each image's metrics (the DINOv2 / depth-toolbox protocol), the
/// pooled figures beside it equal to the reference fixture's, and a bootstrap interval over images that holds the RMSE.
/// </summary>
public sealed class DepthScoringTests
{
    private const int MapPixels = 48 * 64;

    [SharedFact]
    public void Per_image_means_average_each_maps_metrics_and_the_pooled_figures_match_the_fixture()
    {
        var tensors = FixtureArrays.Read(SharedFixtures.Path("fixtures", "depth", "depth_metrics.safetensors"));
        using var json = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("fixtures", "depth", "depth_metrics.json")));
        var pred = tensors.Floats["pred"];
        var gt = tensors.Floats["gt"];
        var scoring = new DepthScoring();
        var perMap = new List<DepthMetrics>();
        for (var m = 0; m < 4; m++)
        {
            scoring.AddImage(pred.AsSpan(m * MapPixels, MapPixels), gt.AsSpan(m * MapPixels, MapPixels));
            perMap.Add(DepthMetrics.Compute(pred.AsSpan(m * MapPixels, MapPixels), gt.AsSpan(m * MapPixels, MapPixels)));
        }
        var score = scoring.Result(new BootstrapOptions(500, 1));

        Assert.Equal(perMap.Average(p => p.Rmse), score.PerImage.Rmse, 1e-15);
        Assert.Equal(perMap.Average(p => p.AbsRel), score.PerImage.AbsRel, 1e-15);
        Assert.Equal(perMap.Average(p => p.A1), score.PerImage.A1, 1e-15);
        Assert.Equal(perMap.Average(p => p.SiLog), score.PerImage.SiLog, 1e-13);
        var rmse = json.RootElement.GetProperty("rmse").GetDouble();
        Assert.True(Math.Abs(score.Pooled.Rmse - rmse) <= 1e-6 * rmse, $"pooled rmse {score.Pooled.Rmse} vs fixture {rmse}");
        Assert.Equal(json.RootElement.GetProperty("valid_pixels").GetInt64(), score.Pooled.ValidPixels);
        Assert.InRange(score.PerImage.Rmse, score.RmseCiLow, score.RmseCiHigh);
        Assert.Equal((4, 4), (score.Images, score.ScoredImages));
    }

    [Fact]
    public void An_image_without_valid_ground_truth_is_left_out_as_nanmean_leaves_it()
    {
        var scoring = new DepthScoring(1e-3, 10);
        scoring.AddImage([2f, 2f], [1f, 1f]);
        scoring.AddImage([2f, 2f], [0f, 12f]);
        var score = scoring.Result(new BootstrapOptions(50, 0));
        Assert.Equal((2, 1), (score.Images, score.ScoredImages));
        Assert.Equal(1.0, score.PerImage.Rmse, 1e-15);
    }

    [Fact]
    public void No_valid_pixel_anywhere_is_an_error()
    {
        var scoring = new DepthScoring(1e-3, 10);
        scoring.AddImage([2f], [0f]);
        Assert.Throws<ProbeBenchException>(() => scoring.Result(new BootstrapOptions(10, 0)));
    }
}
