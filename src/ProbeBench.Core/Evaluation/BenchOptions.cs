using ProbeBench.Core.Models.DinoV2;
namespace ProbeBench.Core.Evaluation;

/// <summary>
/// A speed-only benchmark grid (like timm's benchmark.py): every model × batch size × precision × resolution,
/// random weights, no data and no download.
/// </summary>
/// <param name="Models">Official names (dinov2_vits14, ...) or any short form the families accept (s, b, l, g, s14, ... with _reg for registers).</param>
/// <param name="Blocks">Which blocks each forward returns: a layer choice such as cls@last4 (DINOv2 linear eval, default) or every-block.</param>
/// <param name="Warmup">Untimed batches before timing.</param>
/// <param name="Repeats">Timed batches; the median and spread are reported.</param>
/// <param name="Batch1Repeats">Timed single-image forwards for the latency percentiles (0 skips them).</param>
public sealed record BenchOptions(
    IReadOnlyList<string> Models,
    IReadOnlyList<int> BatchSizes,
    IReadOnlyList<string> Precisions,
    IReadOnlyList<int> Resolutions,
    string Device = "cpu",
    string Blocks = "cls@last4",
    int Warmup = 3,
    int Repeats = 10,
    int Batch1Repeats = 20,
    long Seed = 0);

/// <summary>One measured grid point.</summary>
public sealed record BenchResult(
    string Model,
    int BatchSize,
    string Precision,
    int Resolution,
    string Device,
    string Blocks,
    double GflopPerImage,
    long Parameters,
    double MedianImagesPerSecond,
    double MinImagesPerSecond,
    double MaxImagesPerSecond,
    IReadOnlyList<double> BatchSeconds,
    double? Batch1LatencyP50Ms,
    double? Batch1LatencyP95Ms)
{
    /// <summary>Achieved matmul throughput at the median, in TFLOP/s.</summary>
    public double TflopsPerSecond => MedianImagesPerSecond * GflopPerImage / 1000;
}

public static class BenchResultRows
{
    /// <summary>A speed row of results.csv for one grid point (latency columns: single-image percentiles).</summary>
    public static Results.ResultRow ToRow(this BenchResult r) => new()
    {
        Kind = "speed", Model = r.Model, Parameters = r.Parameters,
        LayerChoice = r.Blocks, HyperParameter = "random weights",
        ImagesPerSecond = r.MedianImagesPerSecond, ImagesPerSecondMin = r.MinImagesPerSecond, ImagesPerSecondMax = r.MaxImagesPerSecond,
        Repeats = r.BatchSeconds.Count, BackboneImagesPerSecond = r.MedianImagesPerSecond,
        LatencyP50Ms = r.Batch1LatencyP50Ms, LatencyP95Ms = r.Batch1LatencyP95Ms, Batch1LatencyMs = r.Batch1LatencyP50Ms,
        BatchSize = r.BatchSize, Precision = r.Precision, Device = r.Device, Resolution = r.Resolution, GflopPerImage = r.GflopPerImage,
    };
}
