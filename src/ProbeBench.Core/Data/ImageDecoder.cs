using SkiaSharp;

namespace ProbeBench.Core.Data;

/// <summary>
/// Decodes an image file (JPEG, PNG, BMP, WebP; any size; grey, RGBA, CMYK) to 8-bit RGB with SkiaSharp.
/// Alpha is dropped without blending, as PIL's <c>convert("RGB")</c> does. Thread-safe: every call owns its codec.
/// </summary>
public static class ImageDecoder
{
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    public static RgbImage DecodeRgb(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the image {path} ({e.Message}).", inner: e);
        }
        return DecodeRgb(bytes, path);
    }

    /// <summary>Decodes <paramref name="encoded"/>; <paramref name="pathForErrors"/> names the file in the error.</summary>
    public static RgbImage DecodeRgb(byte[] encoded, string pathForErrors)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new ProbeBenchException($"The image {pathForErrors} could not be decoded (not a JPEG, PNG, BMP or WebP file, or corrupt).");
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0)
            throw new ProbeBenchException($"The image {pathForErrors} has no pixels ({width}×{height}).");

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* target = rgba)
                result = codec.GetPixels(info, (IntPtr)target);
        }
        if (result != SKCodecResult.Success)
            throw new ProbeBenchException($"The image {pathForErrors} could not be decoded ({result}); it is truncated or corrupt.");

        var pixels = width * height;
        var rgb = new byte[pixels * 3];
        for (int p = 0, s = 0, d = 0; p < pixels; p++, s += 4, d += 3)
        {
            rgb[d] = rgba[s];
            rgb[d + 1] = rgba[s + 1];
            rgb[d + 2] = rgba[s + 2];
        }
        return new RgbImage(rgb, height, width);
    }
}
