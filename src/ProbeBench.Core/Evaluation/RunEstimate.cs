using System.Globalization;
using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// How long a plan's extraction takes before it starts: images per split from the catalog (and the limits), GFLOP per
/// image from the family's cost model, and the device's matmul rate measured now, at the fraction of it a forward pass
/// reaches (about 60% on CPU for ViTs, measured; 35% on GPU, where small kernels and transfers weigh more).
/// </summary>
public static class RunEstimate
{
    /// <summary>Extraction shorter than this needs no warning.</summary>
    public static readonly TimeSpan WorthSaying = TimeSpan.FromMinutes(2);

    /// <summary>One line about the extraction ahead, or null when it is short or cannot be told (image folders).</summary>
    public static string? Describe(RunGraph graph)
    {
        var catalog = DatasetCatalog.LoadDefault();
        var device = TorchRuntime.ResolveDevice(graph.Plan.Device);
        var efficiency = device.type == TorchSharp.DeviceType.CUDA ? 0.35 : 0.6;
        var gflops = DeviceSpeed.MatmulGflops(device, repeats: 5) * efficiency;
        double images = 0, seconds = 0;
        foreach (var unit in graph.Units.OfType<ExtractUnit>())
        {
            var cell = graph.Cells[unit.Cell];
            if (catalog.Find(unit.Dataset.Name) is not { } entry || !entry.Splits.TryGetValue(unit.Split, out var count)) return null;
            var n = Math.Min(count, unit.Limit ?? int.MaxValue);
            var side = entry.ImageSize > 0 ? entry.ImageSize : 256;
            var (h, w) = PreprocessRecipes.Parse(unit.Recipe).OutputSize(side, side);
            var perImage = BackboneFamilies.Of(cell.Architecture).FlopsPerImage(cell.Architecture, h, w) / 1e9;
            images += n;
            seconds += n * perImage / gflops;
        }
        if (images == 0 || TimeSpan.FromSeconds(seconds) < WorthSaying) return null;
        var rate = images / seconds;
        var shorter = device.type == TorchSharp.DeviceType.CUDA ? "--limit-train shortens it" : "--device cuda or --limit-train shortens it";
        return string.Create(CultureInfo.InvariantCulture,
            $"extraction ahead: {images:N0} images at ~{rate:N0} img/s on {graph.Plan.Device} ≈ {Duration(seconds)} (less what the feature cache already holds); {shorter}");
    }

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min" : $"{t.Seconds} s";
    }
}
