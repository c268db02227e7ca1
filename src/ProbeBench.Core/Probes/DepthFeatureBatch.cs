namespace ProbeBench.Core.Probes;

/// <summary>
/// Backbone features of <see cref="Images"/> images for a depth probe, one entry per chosen block (one for
/// DINOv2 "lin. 1", four for "lin. 4"): <see cref="PatchTokens"/>[b] is Images × GridHeight × GridWidth ×
/// Channels (row-major, channels last) and <see cref="ClassTokens"/>[b] is Images × Channels.
/// </summary>
public sealed record DepthFeatureBatch(
    IReadOnlyList<float[]> PatchTokens, IReadOnlyList<float[]> ClassTokens, int Images, int GridHeight, int GridWidth, int Channels)
{
    public int Blocks => PatchTokens.Count;

    /// <summary>Channels the probe sees per patch: patch token and class token of every block.</summary>
    public int ProbeChannels => 2 * Channels * Blocks;

    public void Validate(string what)
    {
        if (Images <= 0) throw new ProbeBenchException($"{what} holds zero images.");
        if (GridHeight <= 0 || GridWidth <= 0 || Channels <= 0)
            throw new ProbeBenchException($"{what} has an empty patch grid ({GridHeight}×{GridWidth}, {Channels} channels).");
        if (Blocks == 0) throw new ProbeBenchException($"{what} holds no block's features.");
        if (ClassTokens.Count != Blocks)
            throw new ProbeBenchException($"{what} has patch tokens of {Blocks} blocks but class tokens of {ClassTokens.Count}.");
        for (var b = 0; b < Blocks; b++)
        {
            var expected = (long)Images * GridHeight * GridWidth * Channels;
            if (PatchTokens[b].Length != expected)
                throw new ProbeBenchException($"{what}: block {b} holds {PatchTokens[b].Length} patch-token values, expected {Images}×{GridHeight}×{GridWidth}×{Channels}.");
            if (ClassTokens[b].Length != (long)Images * Channels)
                throw new ProbeBenchException($"{what}: block {b} holds {ClassTokens[b].Length} class-token values, expected {Images}×{Channels}.");
            CheckFinite(PatchTokens[b], $"{what}: block {b} patch tokens");
            CheckFinite(ClassTokens[b], $"{what}: block {b} class tokens");
        }
    }

    private static void CheckFinite(float[] values, string what)
    {
        for (var i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ProbeBenchException($"{what} hold {values[i]} (NaN or infinite) at index {i}.");
    }
}
