using ProbeBench.Core.Probes;

namespace ProbeBench.Tests.Probes;

/// <summary>
/// A synthetic depth data set: 32×32 depth maps of a slanted plane (depth 1..9) with a nearer box (depth 1..2.5)
/// and a few invalid pixels (0 and 15, outside (0.001, 10)); a 8×8 patch grid (4×4 pixels per patch).
/// Features per patch, per block: the patch's mean log depth encoded by 8 Gaussian bumps over [ln 1, ln 9]
/// (σ = 0.3) and its mean brightness 1/depth, mixed by a fixed random 9×C projection per block, plus N(0, 0.1²)
/// noise; the class token is the mean of the image's patch features.
/// </summary>
internal static class SyntheticDepthScenes
{
    public const int Size = 32;
    public const int Grid = 8;
    public const int Channels = 12;

    public static (DepthFeatureBatch Features, DepthMaps Depth) Make(int images, int blocks, int seed)
    {
        var random = new Random(seed);
        var projections = Enumerable.Range(0, blocks).Select(_ => Projection(new Random(1000 + _))).ToArray();
        var depth = new float[images * Size * Size];
        var patches = Enumerable.Range(0, blocks).Select(_ => new float[images * Grid * Grid * Channels]).ToArray();
        var classes = Enumerable.Range(0, blocks).Select(_ => new float[images * Channels]).ToArray();
        for (var n = 0; n < images; n++)
        {
            var map = Scene(random);
            for (var b = 0; b < blocks; b++)
                Encode(map, projections[b], random, patches[b].AsSpan(n * Grid * Grid * Channels, Grid * Grid * Channels), classes[b].AsSpan(n * Channels, Channels));
            // Invalid pixels after encoding: the sensor misses them, the image does not.
            for (var i = 0; i < 20; i++) map[random.Next(map.Length)] = i % 2 == 0 ? 0f : 15f;
            map.CopyTo(depth, n * Size * Size);
        }
        return (new DepthFeatureBatch(patches, classes, images, Grid, Grid, Channels), new DepthMaps(depth, images, Size, Size));
    }

    private static float[] Scene(Random random)
    {
        var map = new float[Size * Size];
        var (near, slopeY, slopeX) = (3 + 3 * random.NextDouble(), 4 * random.NextDouble() - 2, 2 * random.NextDouble() - 1);
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                map[y * Size + x] = (float)Math.Clamp(near + slopeY * y / Size * 2 + slopeX * x / Size * 2, 1, 9);
        var (h, w) = (8 + random.Next(10), 8 + random.Next(10));
        var (top, left) = (random.Next(Size - h), random.Next(Size - w));
        var box = (float)(1 + 1.5 * random.NextDouble());
        for (var y = top; y < top + h; y++)
            for (var x = left; x < left + w; x++)
                map[y * Size + x] = box;
        return map;
    }

    private static void Encode(float[] map, float[,] projection, Random random, Span<float> patches, Span<float> cls)
    {
        var cell = Size / Grid;
        var raw = new double[9];
        for (var gy = 0; gy < Grid; gy++)
            for (var gx = 0; gx < Grid; gx++)
            {
                double logSum = 0, brightness = 0;
                for (var y = gy * cell; y < (gy + 1) * cell; y++)
                    for (var x = gx * cell; x < (gx + 1) * cell; x++)
                    {
                        logSum += Math.Log(map[y * Size + x]);
                        brightness += 1.0 / map[y * Size + x];
                    }
                var meanLog = logSum / (cell * cell);
                for (var j = 0; j < 8; j++)
                {
                    var centre = Math.Log(9) * j / 7;
                    raw[j] = Math.Exp(-Math.Pow(meanLog - centre, 2) / (2 * 0.3 * 0.3));
                }
                raw[8] = brightness / (cell * cell);
                var offset = (gy * Grid + gx) * Channels;
                for (var c = 0; c < Channels; c++)
                {
                    double v = 0;
                    for (var j = 0; j < 9; j++) v += raw[j] * projection[j, c];
                    patches[offset + c] = (float)(v + 0.1 * Gaussian(random));
                    cls[c] += patches[offset + c] / (Grid * Grid);
                }
            }
    }

    private static float[,] Projection(Random random)
    {
        var p = new float[9, Channels];
        for (var j = 0; j < 9; j++)
            for (var c = 0; c < Channels; c++)
                p[j, c] = (float)Gaussian(random);
        return p;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
