using SkiaSharp;

namespace ProbeBench.Tests.Data;

/// <summary>Writes small test images with SkiaSharp: pixel (x, y) of image seed s is a known function.</summary>
internal static class ImageFiles
{
    public static (byte R, byte G, byte B) Colour(int x, int y, int seed) =>
        ((byte)(x * 20 + seed * 3), (byte)(y * 30 + seed), (byte)(255 - x * 10 - y * 5));

    public static void WriteRgb(string path, int width, int height, int seed, SKEncodedImageFormat format, int quality = 100)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = Colour(x, y, seed);
                bitmap.SetPixel(x, y, new SKColor(r, g, b, 255));
            }
        Save(path, bitmap, format, quality);
    }

    public static void WriteRgba(string path, int width, int height, int seed, byte alpha)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = Colour(x, y, seed);
                bitmap.SetPixel(x, y, new SKColor(r, g, b, alpha));
            }
        Save(path, bitmap, SKEncodedImageFormat.Png, 100);
    }

    public static void WriteGrey(string path, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = (byte)(x * 10 + y);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        Save(path, bitmap, SKEncodedImageFormat.Png, 100);
    }

    private static void Save(string path, SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}");
        File.WriteAllBytes(path, data.ToArray());
    }
}
