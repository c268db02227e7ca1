using SkiaSharp;

namespace ProbeBench.Core.Data.Dense;

/// <summary>
/// Writes small learnable dense datasets in the plain folder layouts (<see cref="DenseFolders"/>), for trying the dense
/// heads offline and for CI. Depth: a floor plane receding from 1 m at the bottom to 8 m at the top, with a nearer box;
/// the image's colour follows depth (near warm, far cool) under mild noise, so depth is a function of what a patch looks
/// like. Segmentation: a background and shapes of four classes, each drawn in its own colour under noise.
/// </summary>
public static class SyntheticDenseWriter
{
    public static readonly IReadOnlyList<string> SegmentationClasses = ["background", "disc", "box", "bar"];

    /// <summary>
    /// Writes <c>&lt;dataRoot&gt;/&lt;folder&gt;</c> whole, then puts it in place (<see cref="SyntheticFolder"/>); an existing
    /// folder is replaced only when it is one of these synthetic sets.
    /// </summary>
    /// <summary>Most images per split (NYU Depth v2's labelled set has 1,449), so a mistyped count cannot fill the disk.</summary>
    public const int MaxImages = 100_000;

    public static string Write(string dataRoot, DenseTask task, int train, int test, int size, int seed)
    {
        if (train is <= 0 or > MaxImages || test is <= 0 or > MaxImages)
            throw new ProbeBenchException($"--train and --test must be 1 to {MaxImages:N0} images; got {train} and {test}.");
        if (size is < 16 or > 1024) throw new ProbeBenchException($"--size must be 16 to 1024 pixels, got {size}.");
        return SyntheticFolder.Write(Path.Combine(Path.GetFullPath(dataRoot), task == DenseTask.Depth ? "synthetic-depth" : "synthetic-seg"), DenseFolders.SyntheticMarker,
            "Written by probebench synthesize: learnable stand-in data, not a real dataset.\n", folder =>
            {
                var random = new Random(seed);
                foreach (var (split, count) in new[] { ("train", train), ("test", test) })
                {
                    var rgb = Directory.CreateDirectory(Path.Combine(folder, split, "rgb")).FullName;
                    var labels = Directory.CreateDirectory(Path.Combine(folder, split, task == DenseTask.Depth ? "depth" : "label")).FullName;
                    for (var n = 0; n < count; n++)
                    {
                        var name = $"{n:D5}";
                        var (image, label) = task == DenseTask.Depth ? DepthScene(size, random) : SegmentationScene(size, random);
                        File.WriteAllBytes(Path.Combine(rgb, name + ".png"), image);
                        File.WriteAllBytes(Path.Combine(labels, name + ".png"), label);
                    }
                }
                if (task == DenseTask.Segmentation)
                    SyntheticFolder.WriteNew(Path.Combine(folder, DenseFolders.ClassesFile), string.Concat(SegmentationClasses.Select(c => c + "\n")));
            });
    }

    private static (byte[] Image, byte[] Labels) DepthScene(int size, Random random)
    {
        var depth = new ushort[size * size];
        var pixels = new byte[size * size * 3];
        var (top, left, side) = (random.Next(size / 2), random.Next(size / 2), size / 4 + random.Next(size / 4));
        var box = 1.0 + random.NextDouble();
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var metres = 1 + 7.0 * (size - 1 - y) / (size - 1);
                if (y >= top && y < top + side && x >= left && x < left + side) metres = box;
                var i = y * size + x;
                // A few sensor holes, as real depth maps have.
                depth[i] = random.NextDouble() < 0.01 ? (ushort)0 : (ushort)Math.Round(metres * 1000);
                var t = (metres - 1) / 7;
                pixels[3 * i] = Noisy(255 * (1 - t), random);
                pixels[3 * i + 1] = Noisy(90 + 60 * t, random);
                pixels[3 * i + 2] = Noisy(255 * t, random);
            }
        return (Png(pixels, size), PngWriter.Grey16(depth, size, size));
    }

    private static readonly (byte R, byte G, byte B)[] Colours = [(40, 40, 40), (220, 60, 60), (60, 200, 80), (70, 90, 230)];

    private static (byte[] Image, byte[] Labels) SegmentationScene(int size, Random random)
    {
        var labels = new byte[size * size];
        var (cx, cy, r) = (random.Next(size), random.Next(size), size / 8 + random.Next(size / 6));
        var (top, left, side) = (random.Next(size / 2), random.Next(size / 2), size / 5 + random.Next(size / 4));
        var bar = random.Next(size - size / 8);
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                byte c = 0;
                if (y >= bar && y < bar + size / 8) c = 3;
                if (y >= top && y < top + side && x >= left && x < left + side) c = 2;
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) c = 1;
                labels[y * size + x] = c;
            }
        // The shapes' edges are not scored, as VOC marks object borders 255.
        var scored = (byte[])labels.Clone();
        for (var y = 1; y < size - 1; y++)
            for (var x = 1; x < size - 1; x++)
                if (labels[y * size + x] != labels[y * size + x + 1] || labels[y * size + x] != labels[(y + 1) * size + x]) scored[y * size + x] = DenseLabels.Ignore;
        var pixels = new byte[size * size * 3];
        for (var i = 0; i < labels.Length; i++)
        {
            var (red, green, blue) = Colours[labels[i]];
            pixels[3 * i] = Noisy(red, random);
            pixels[3 * i + 1] = Noisy(green, random);
            pixels[3 * i + 2] = Noisy(blue, random);
        }
        return (Png(pixels, size), PngWriter.Grey8(scored, size, size));
    }

    private static byte Noisy(double value, Random random) => (byte)Math.Clamp(Math.Round(value + 12 * (random.NextDouble() - 0.5) * 2), 0, 255);

    private static byte[] Png(byte[] rgb, int size)
    {
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var i = 3 * (y * size + x);
                bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
