using System.Globalization;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation.Dense;

/// <summary>What the dense heads of one cell need: disk for the patch-grid cache, memory per training step, memory online.</summary>
/// <param name="CacheBytes">fp16 patch grids of every stored block of both splits, plus the labels.</param>
/// <param name="StepBytes">One training step's working memory (the batch's features, logits and their gradients).</param>
/// <param name="OnlineBytes">The same with the backbone in memory and its forward pass per step (nothing cached).</param>
public sealed record DenseEstimate(long CacheBytes, long LabelBytes, long StepBytes, long OnlineBytes, long? FreeDiskBytes, long? FreeMemoryBytes,
    int Images, int GridHeight, int GridWidth, IReadOnlyList<int> Blocks);

/// <summary>
/// The dense plan setting (<c>dense</c>: auto, cache or online) and its estimate. auto caches the patch grids when the
/// cache's disk has room for them (extraction once, then cheap reads per step) and otherwise runs the backbone per step
/// when memory has room for that; a mode that cannot fit is refused before any work, naming what it needs and what is free.
/// </summary>
public static class DensePlanning
{
    public const string Auto = "auto", Cached = "cache", Online = "online";

    public static IReadOnlyList<string> Modes { get; } = [Auto, Cached, Online];

    /// <param name="images">Train plus test images of the cell.</param>
    /// <param name="outputs">Channels of the head's output on the (up-sampled) grid: 256 depth bins, or the classes.</param>
    /// <param name="labelChannels">Channels resized to the label size: 1 (depth) or the classes (segmentation logits).</param>
    public static DenseEstimate Estimate(IBackboneConfig architecture, long parameters, string precision, (int Height, int Width) input,
        int images, IReadOnlyList<LayerChoice> choices, int batch, int outputs, int upsample, string cacheRoot, int labelChannels = 1)
    {
        var (h, w) = (input.Height / architecture.PatchSize, input.Width / architecture.PatchSize);
        var blocks = choices.SelectMany(c => c.Blocks).Distinct().Order().ToList();
        var tokens = 1L + (long)h * w;
        var perImage = blocks.Count * tokens * architecture.EmbedDim * 2;
        var labelBytes = (long)images * input.Height * input.Width * 4;
        var widest = choices.Count == 0 ? 0 : choices.Max(c => c.Blocks.Count) * 2L * architecture.EmbedDim;
        // The batch's features on the grid, the head's output up-sampled, the output resized to the labels and the labels
        // (outputs with their normalisation and gradients: ×3).
        var step = batch * (widest * h * w * 4 + 3L * outputs * (h * upsample) * (w * upsample) * 4 + (3L * labelChannels + 1) * input.Height * input.Width * 4);
        var bytesPerParameter = precision == "fp32" ? 4 : 2;
        // The backbone's weights and one forward pass: the residual stream, attention and MLP activations of a block at a time.
        var online = step + parameters * bytesPerParameter + batch * tokens * architecture.EmbedDim * 4 * 12 + batch * tokens * tokens * 4 * 2;
        var free = IO.DiskSpace.Free(cacheRoot, out _);
        return new DenseEstimate(perImage * images + labelBytes, labelBytes, step, online, free, Runtime.HostMemory.AvailableBytes(), images, h, w, blocks);
    }

    /// <summary>The mode to run and one line saying why; an impossible request is an error naming the plan field.</summary>
    public static (string Mode, string Note) Decide(string requested, DenseEstimate e, string what)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"dense features of {what}: caching blocks {string.Join(',', e.Blocks)} ({e.GridHeight}×{e.GridWidth} patches, fp16) for {e.Images:N0} images needs {Gb(e.CacheBytes)} of disk (labels {Gb(e.LabelBytes)}; {Gb(e.FreeDiskBytes)} free) and about {Gb(e.StepBytes)} of memory per training step; online (no cache, the backbone per step) about {Gb(e.OnlineBytes)} of memory ({Gb(e.FreeMemoryBytes)} free)");
        var diskFits = e.FreeDiskBytes is not { } disk || e.CacheBytes * 11 / 10 <= disk;
        var memoryFits = e.FreeMemoryBytes is not { } memory || e.OnlineBytes <= memory;
        switch (requested)
        {
            case Cached when !diskFits:
                throw new ProbeBenchException($"dense: cache cannot fit: {text}. Free disk under the cache root, lower limitTrain/limitTest, or set dense: online.");
            case Cached:
                return (Cached, $"{text}; dense: cache");
            case Online:
                return (Online, $"{text}; dense: online");
            default:
                if (diskFits) return (Cached, $"{text}; auto chose cache");
                if (memoryFits) return (Online, $"{text}; auto chose online (the cache does not fit on disk)");
                throw new ProbeBenchException($"dense: auto finds no room: {text}. Free disk under the cache root or memory, or lower limitTrain/limitTest.");
        }
    }

    private static string Gb(long? bytes) => bytes is { } b ? (b / 1e9).ToString(b < 1e8 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + " GB" : "an unknown amount";
}
