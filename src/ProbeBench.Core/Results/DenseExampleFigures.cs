using ProbeBench.Core.Data;
using SkiaSharp;

namespace ProbeBench.Core.Results;

/// <summary>One test image with its labels and a dense head's prediction, in the label geometry (row-major).</summary>
/// <param name="Image">The image in the label geometry, or null when it is not at hand (the strip then shows labels and predictions only).</param>
public sealed record DenseExample(RgbImage? Image, float[] Truth, float[] Predicted, int Height, int Width);

/// <summary>
/// The example strips of dense heads as PNG files: one row per test image, columns image · ground truth · prediction.
/// Depth is coloured with one turbo scale per strip (near blue to far red, invalid pixels black); classes are overlaid on
/// the image with the PASCAL VOC palette (ignored pixels show the image).
/// </summary>
public static class DenseExampleFigures
{
    private const int TileWidth = 320, Gap = 4;

    public static void WriteDepth(string path, IReadOnlyList<DenseExample> examples, double minDepth, double maxDepth)
    {
        var valid = examples.SelectMany(e => e.Truth.Concat(e.Predicted)).Where(v => v > minDepth && v < maxDepth).ToList();
        var (low, high) = valid.Count == 0 ? (minDepth, maxDepth) : (valid.Min(), valid.Max());
        var colormap = new ScottPlot.Colormaps.Turbo();
        SKColor Colour(float v) => !(v > minDepth && v < maxDepth) ? SKColors.Black
            : ToSk(colormap.GetColor(Math.Clamp((v - low) / Math.Max(high - low, 1e-9), 0, 1)));
        Write(path, examples, e => Map(e.Truth, Colour), e => Map(e.Predicted, Colour));
    }

    public static void WriteSegmentation(string path, IReadOnlyList<DenseExample> examples, int ignoreIndex = 255)
    {
        Write(path, examples, e => Overlay(e, e.Truth, ignoreIndex), e => Overlay(e, e.Predicted, ignoreIndex));
    }

    /// <summary>The PASCAL VOC colour of class <paramref name="c"/> (the devkit's bit-interleaved palette).</summary>
    public static SKColor ClassColour(int c)
    {
        int r = 0, g = 0, b = 0;
        for (int shift = 7, v = c; v > 0 && shift >= 0; shift--, v >>= 3)
        {
            r |= (v & 1) << shift;
            g |= ((v >> 1) & 1) << shift;
            b |= ((v >> 2) & 1) << shift;
        }
        return new SKColor((byte)r, (byte)g, (byte)b);
    }

    private static Func<int, SKColor> Map(float[] values, Func<float, SKColor> colour) => i => colour(values[i]);

    private static Func<int, SKColor> Overlay(DenseExample e, float[] classes, int ignoreIndex) => i =>
    {
        var image = e.Image is { } img ? new SKColor(img.Pixels[3 * i], img.Pixels[3 * i + 1], img.Pixels[3 * i + 2]) : SKColors.Gray;
        var c = (int)classes[i];
        if (c == ignoreIndex || c < 0) return image;
        var k = ClassColour(c);
        return new SKColor((byte)((image.Red + k.Red) / 2), (byte)((image.Green + k.Green) / 2), (byte)((image.Blue + k.Blue) / 2));
    };

    private static void Write(string path, IReadOnlyList<DenseExample> examples, Func<DenseExample, Func<int, SKColor>> truth, Func<DenseExample, Func<int, SKColor>> predicted)
    {
        if (examples.Count == 0) return;
        var scale = Math.Min(1.0, (double)TileWidth / examples.Max(e => e.Width));
        var heights = examples.Select(e => Math.Max(1, (int)Math.Round(e.Height * scale))).ToList();
        var widths = examples.Select(e => Math.Max(1, (int)Math.Round(e.Width * scale))).ToList();
        var columns = examples.Any(e => e.Image is not null) ? 3 : 2;
        var column = widths.Max() + Gap;
        using var bitmap = new SKBitmap(columns * column - Gap, heights.Sum() + Gap * (examples.Count - 1));
        bitmap.Erase(SKColors.White);
        var top = 0;
        for (var n = 0; n < examples.Count; n++)
        {
            var e = examples[n];
            var tiles = new List<Func<int, SKColor>>();
            if (columns == 3)
                tiles.Add(e.Image is { } img ? i => new SKColor(img.Pixels[3 * i], img.Pixels[3 * i + 1], img.Pixels[3 * i + 2]) : _ => SKColors.Gray);
            tiles.Add(truth(e));
            tiles.Add(predicted(e));
            for (var t = 0; t < tiles.Count; t++)
                for (var y = 0; y < heights[n]; y++)
                    for (var x = 0; x < widths[n]; x++)
                    {
                        var sy = Math.Min((int)(y / scale), e.Height - 1);
                        var sx = Math.Min((int)(x / scale), e.Width - 1);
                        bitmap.SetPixel(t * column + x, top + y, tiles[t](sy * e.Width + sx));
                    }
            top += heights[n] + Gap;
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static SKColor ToSk(ScottPlot.Color c) => new(c.R, c.G, c.B);
}
