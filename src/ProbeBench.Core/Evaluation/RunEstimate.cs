using System.Globalization;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// How long a plan's extraction takes before it starts: images per split (counted when the data is here, else from the catalog; and the limits), GFLOP per
/// image from the family's cost model, and the device's matmul rate measured now, at the fraction of it a forward pass
/// reaches (about 60% on CPU for ViTs, measured; 35% on GPU, where small kernels and transfers weigh more).
/// </summary>
public static class RunEstimate
{
    /// <summary>Extraction shorter than this needs no warning.</summary>
    public static readonly TimeSpan WorthSaying = TimeSpan.FromMinutes(2);

    /// <summary>One line about the extraction ahead, or null when it is short or its size cannot be told.</summary>
    public static string? Describe(RunGraph graph)
    {
        var cacheRoot = CacheDirectories.Root(graph.Plan.CacheRoot);
        var dataRoot = CacheDirectories.DataRoot(graph.Plan.DataRoot, graph.Plan.CacheRoot);
        double images = 0, gflop = 0;
        var assumed = new List<string>();
        foreach (var unit in graph.Units.OfType<ExtractUnit>())
        {
            var cell = graph.Cells[unit.Cell];
            var size = SplitSize.Of(unit, dataRoot, cacheRoot);
            if (size.Rows is not { } n) return null;
            if (size.Basis != "") assumed.Add(size.Basis);
            images += n;
            gflop += n * BackboneFamilies.Of(cell.Architecture).FlopsPerImage(cell.Architecture, size.Height, size.Width) / 1e9;
        }
        if (images == 0) return null;
        var device = TorchRuntime.ResolveDevice(graph.Plan.Device);
        var efficiency = device.type == TorchSharp.DeviceType.CUDA ? 0.35 : 0.6;
        var seconds = gflop / (DeviceSpeed.MatmulGflops(device, repeats: 5) * efficiency);
        if (TimeSpan.FromSeconds(seconds) < WorthSaying) return null;
        var rate = images / seconds;
        var shorter = device.type == TorchSharp.DeviceType.CUDA ? "--limit-train shortens it" : "--device cuda or --limit-train shortens it";
        var basis = assumed.Count > 0 ? $" ({assumed.Distinct().First()})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"extraction ahead: {images:N0} images{basis} at ~{rate:N0} img/s on {graph.Plan.Device} ≈ {Duration(seconds)} (less what the feature cache already holds); {shorter}");
    }

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min" : $"{t.Seconds} s";
    }
}
