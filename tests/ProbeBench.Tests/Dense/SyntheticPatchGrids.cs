using ProbeBench.Core.Cache;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Heads.Dense;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Dense;

/// <summary>Patch grids held in memory (one block), for head tests that need no backbone.</summary>
internal sealed class ArrayPatchGrids(float[] tokens, int images, int gridHeight, int gridWidth, int channels) : IPatchGridSource
{
    public int Images => images;
    public int GridHeight => gridHeight;
    public int GridWidth => gridWidth;
    public int Channels => channels;
    public IReadOnlyList<int> Blocks => [0];

    public IReadOnlyList<Tensor> Tokens(long[] rows, Device device)
    {
        var row = (1 + gridHeight * gridWidth) * channels;
        var values = new float[rows.Length * row];
        for (var i = 0; i < rows.Length; i++) tokens.AsSpan((int)rows[i] * row, row).CopyTo(values.AsSpan(i * row, row));
        using var host = tensor(values, [rows.Length, 1 + gridHeight * gridWidth, channels]);
        return [host.to(device)];
    }

    public void Dispose() { }
}

/// <summary>
/// Synthetic dense splits whose labels are a linear function of a patch feature: a grid of 4 × 4 patches of 4 × 4 pixels,
/// 8 channels of which the first carries the signal and the rest are N(0, 0.3²) noise; the class token is the mean patch.
/// Depth: channel 0 is f, linear in the patch's position with a random slope and offset per image, and depth = 1.5 + 5 f
/// metres (a plane, which bilinear up-sampling reproduces). Segmentation: channels 0–2 are the one-hot class of the patch.
/// </summary>
internal static class SyntheticPatchGrids
{
    public const int Grid = 4, Patch = 4, Channels = 8, Side = Grid * Patch;

    public static DenseSplit Depth(FeatureCache cache, string split, int images, int seed) => Make(cache, split, images, seed, DenseTask.Depth);

    public static DenseSplit Segmentation(FeatureCache cache, string split, int images, int seed) => Make(cache, split, images, seed, DenseTask.Segmentation);

    private static DenseSplit Make(FeatureCache cache, string split, int images, int seed, DenseTask task)
    {
        var random = new Random(seed);
        double Noise() => 0.3 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var row = (1 + Grid * Grid) * Channels;
        var tokens = new float[images * row];
        var labels = new float[images * Side * Side];
        for (var n = 0; n < images; n++)
        {
            var (a, b, c) = (random.NextDouble() * 0.4, random.NextDouble() * 0.2, random.NextDouble() * 0.2);
            for (var py = 0; py < Grid; py++)
                for (var px = 0; px < Grid; px++)
                {
                    var patch = tokens.AsSpan(n * row + (1 + py * Grid + px) * Channels, Channels);
                    for (var k = 0; k < Channels; k++) patch[k] = (float)Noise();
                    var cls = random.Next(3);
                    if (task == DenseTask.Depth) patch[0] = (float)(a + b * py + c * px);
                    else patch[cls] += 1f;
                    for (var y = 0; y < Patch; y++)
                        for (var x = 0; x < Patch; x++)
                        {
                            // Depth varies within the patch as the plane does (the feature is the plane at the patch centre).
                            var (gy, gx) = ((py * Patch + y + 0.5) / Patch - 0.5, (px * Patch + x + 0.5) / Patch - 0.5);
                            labels[n * Side * Side + (py * Patch + y) * Side + px * Patch + x] = task == DenseTask.Depth
                                ? (float)(1.5 + 5 * (a + b * gy + c * gx)) : cls;
                        }
                }
            var mean = tokens.AsSpan(n * row, Channels);
            for (var p = 1; p <= Grid * Grid; p++)
                for (var k = 0; k < Channels; k++) mean[k] += tokens[n * row + p * Channels + k] / (Grid * Grid);
        }
        var parts = new FeatureCacheKeyParts("none", "labels", "synthetic", $"seed{seed}", split, "all", $"labels:{task}", "none", task == DenseTask.Depth ? "fp32" : "fp16", "none");
        var writer = cache.OpenWriter(parts, Side * Side, 1, images);
        writer.Append(labels, new int[images], Side * Side);
        writer.Complete();
        var targets = new DenseTargets(parts.Key(), task, Side, Side, Native: false, task == DenseTask.Segmentation ? ["a", "b", "c"] : [], 1e-3, 10,
            $"{images} synthetic images");
        return new DenseSplit(new ArrayPatchGrids(tokens, images, Grid, Grid, Channels), FeatureRowReader.Open(cache, parts.Key()), targets);
    }
}
