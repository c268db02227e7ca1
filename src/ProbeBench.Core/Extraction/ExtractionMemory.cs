using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// A generous estimate of the memory one extraction (or benchmark) needs at a batch size and input size, checked before any
/// work so that <c>--batch-size 400000000</c> or a 100000-pixel recipe is one clear error instead of an allocator abort. It
/// is meant to refuse the impossible, not to predict the peak: the runtime and libraries; the weights; per image the input in
/// float32 and the compute dtype for the batches in flight, one block's live activations (tokens × (8 × width + 2 × a
/// feed-forward width of 4× width, doubled for SwiGLU); libtorch's attention is memory-efficient, so no tokens² term), the
/// normed output of every requested block (kept until the layer choices are composed), and the features in the write
/// queue; and the cache writers' chunk buffers (<see cref="CacheChunkRows"/>).
/// </summary>
public static class ExtractionMemory
{
    /// <summary>Batches that may be in flight at once (decode queue, the backbone's, the write queue).</summary>
    private const int BatchesInFlight = 4;

    /// <summary>The .NET runtime, libtorch and the other libraries (about 300 MB resident on CPU before any tensor).</summary>
    private const double RuntimeBytes = 512.0 * (1 << 20);

    /// <summary>The most values one cache writer buffers before it writes a chunk (256 MiB of float32).</summary>
    public const long MaxChunkValues = 1L << 26;

    /// <summary>
    /// Rows per cache chunk for a feature width: a few batches (fine resume granularity without many tiny files), but never
    /// more than <see cref="MaxChunkValues"/> values, so wide patch features at big batches cannot overflow the buffer.
    /// </summary>
    public static int CacheChunkRows(int batchSize, long dim) =>
        (int)Math.Clamp(Math.Min(Math.Max(256L, 4L * batchSize), MaxChunkValues / Math.Max(dim, 1)), 1, int.MaxValue);

    public static double EstimateBytes(IBackboneConfig config, long parameters, int batch, int height, int width, int elementBytes,
        IReadOnlyList<LayerChoice> choices)
    {
        double patches = (double)(height / Math.Max(config.PatchSize, 1)) * (width / Math.Max(config.PatchSize, 1));
        double tokens = patches + config.PrefixTokens;
        double embed = config.EmbedDim;
        var ffn = (config.FfnKind == "mlp" ? 1 : 2) * 4 * embed;
        var features = choices.Sum(c => FeatureValues(c, embed, patches));
        var blocks = choices.SelectMany(c => c.Blocks).Distinct().Count();
        var chunkBuffers = choices.Sum(c => FeatureValues(c, embed, patches) is var dim ? Math.Min(dim * Math.Max(256.0, 4.0 * batch), MaxChunkValues) * 4 : 0);
        var perImage = 3.0 * height * width * (4 + elementBytes) * BatchesInFlight
                       + tokens * (8 * embed + 2 * ffn) * elementBytes
                       + blocks * tokens * embed * elementBytes
                       + features * 4 * BatchesInFlight;
        return RuntimeBytes + parameters * (double)elementBytes + batch * perImage + chunkBuffers;
    }

    /// <summary>
    /// Throws naming <paramref name="option"/> when the estimate exceeds the memory of <paramref name="device"/> (the host's for
    /// cpu; for CUDA the device's when its runtime is loaded, else the check is left to the device).
    /// </summary>
    public static void Check(string option, string model, IBackboneConfig config, long parameters, int batch, int height, int width,
        int elementBytes, IReadOnlyList<LayerChoice> choices, string device)
    {
        if (MemoryBudget.BytesOf(device) is not { } available) return;
        var needed = EstimateBytes(config, parameters, batch, height, width, elementBytes, choices);
        if (needed <= available) return;
        throw new ProbeBenchException(
            $"{option} {batch}: extracting {model} at {height}x{width} would need about {MemoryBudget.Format(needed)} " +
            $"(weights, {batch} inputs, activations and features; an estimate), more than the {MemoryBudget.Format(available)} " +
            (device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? $"of {device}; " : "this machine has; ") +
            "lower the batch size or the input size.");
    }

    // In double: a patch@every-block choice at a huge input overflows int (LayerChoice.FeatureDim) long before this is refused.
    private static double FeatureValues(LayerChoice choice, double embed, double patches) => choice.Readout switch
    {
        LayerReadout.Cls => choice.Blocks.Count * embed,
        LayerReadout.ClsAvgpool => (choice.Blocks.Count + 1) * embed,
        LayerReadout.Avgpool => embed,
        _ => choice.Blocks.Count * (1 + patches) * embed,
    };
}
