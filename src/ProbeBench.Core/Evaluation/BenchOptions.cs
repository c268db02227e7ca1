using ProbeBench.Core.Results;

using ProbeBench.Core.Models.DinoV2;
namespace ProbeBench.Core.Evaluation;

/// <summary>
/// A speed-only benchmark grid (like timm's benchmark.py): every model × batch size × precision × resolution,
/// random weights, no data and no download.
/// </summary>
/// <param name="Models">Official names (dinov2_vits14, ...) or any short form the families accept (s, b, l, g, s14, ... with _reg for registers).</param>
/// <param name="Blocks">Which blocks each forward returns: a layer choice such as cls@last4 (DINOv2 linear eval, default) or every-block.</param>
/// <param name="Warmup">Untimed batches before timing each configuration (at least; warm-up goes on until two batches in a row agree within 10%).</param>
/// <param name="Repeats">Timed batches; the median and spread are reported.</param>
/// <param name="Batch1Repeats">Timed single-image forwards for the latency percentiles, after their own warm-up (0 skips them).</param>
public sealed record BenchOptions(
    IReadOnlyList<string> Models,
    IReadOnlyList<int> BatchSizes,
    IReadOnlyList<string> Precisions,
    IReadOnlyList<int> Resolutions,
    string Device = "auto",
    string Blocks = "cls@last4",
    int Warmup = 3,
    int Repeats = 10,
    int Batch1Repeats = 20,
    long Seed = 0);

/// <summary>One measured grid point: the warm timings it was measured from, and the machine at its start.</summary>
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
    double? Batch1LatencyP95Ms,
    IReadOnlyList<double> Batch1Ms,
    int WarmupBatches,
    string Family,
    MachineFacts Machine)
{
    /// <summary>The device's matmul rate measured at the start of the grid (speed rows are compared relative to it).</summary>
    public double? ReferenceGflops { get; init; }

    /// <summary>Achieved matmul throughput at the median, in TFLOP/s.</summary>
    public double TflopsPerSecond => MedianImagesPerSecond * GflopPerImage / 1000;
}

public static class BenchResultRows
{
    /// <summary>A bench row of speed.csv for one grid point (its timing samples included, for the compare gate).</summary>
    public static ResultRow ToRow(this BenchResult r) => new()
    {
        Kind = ResultKinds.Bench, Model = r.Model, RandomWeights = true, Family = r.Family, Parameters = r.Parameters,
        CheckpointSha256 = $"random-seed{BackboneLoader.RandomSeed}", LayerChoice = r.Blocks,
        Images = r.BatchSize * r.BatchSeconds.Count, WarmupBatches = r.WarmupBatches,
        ImagesPerSecond = r.MedianImagesPerSecond, ImagesPerSecondMin = r.MinImagesPerSecond, ImagesPerSecondMax = r.MaxImagesPerSecond,
        BackboneImagesPerSecond = r.MedianImagesPerSecond,
        BatchLatencyP50Ms = Kernel.Percentiles.Of(r.BatchSeconds.Select(s => s * 1000).ToList(), 50),
        BatchLatencyP95Ms = Kernel.Percentiles.Of(r.BatchSeconds.Select(s => s * 1000).ToList(), 95),
        BatchLatencyP99Ms = Kernel.Percentiles.Of(r.BatchSeconds.Select(s => s * 1000).ToList(), 99),
        Batch1LatencyP50Ms = r.Batch1LatencyP50Ms, Batch1LatencyP95Ms = r.Batch1LatencyP95Ms,
        BatchMs = r.BatchSeconds.Select(s => s * 1000).ToList(), Batch1Ms = r.Batch1Ms,
        BatchSize = r.BatchSize, Precision = r.Precision, Device = r.Device, Resolution = r.Resolution, GflopPerImage = r.GflopPerImage,
        ReferenceGflops = r.ReferenceGflops, Threads = r.Machine.Threads, Cpu = r.Machine.Cpu, LoadAverage = r.Machine.LoadAverage, Gpu = r.Machine.Gpu, GpuDriver = r.Machine.GpuDriver,
    };
}
