using ProbeBench.Core.Data.Files;
using ProbeBench.Core.IO;
using SkiaSharp;

namespace ProbeBench.Core.Data;

/// <summary>
/// Decodes an image file (JPEG, PNG, BMP, WebP, binary PPM; any size up to the limits; grey, RGBA, CMYK) to 8-bit RGB
/// with SkiaSharp. Alpha is dropped without blending, as PIL's <c>convert("RGB")</c> does. Thread-safe: every call owns
/// its codec. The dimensions are read from the header first, and an image above <see cref="MaxPixels"/> or a file
/// above <see cref="MaxFileBytes"/> is refused before anything is allocated for its pixels.
/// </summary>
public static class ImageDecoder
{
    /// <summary>PIL's decompression-bomb threshold (2^30 / 4 / 3 pixels, about 9459² ): larger images are refused.</summary>
    public const long MaxPixels = 89_478_485;

    /// <summary>Largest image file read (a 9459² PNG without compression is about 270 MB).</summary>
    public const long MaxFileBytes = 512L << 20;

    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".ppm" };

    public static RgbImage DecodeRgb(string path)
    {
        byte[] bytes;
        try
        {
            var status = FileStatus.Of(path);
            if (status.Kind != FileKind.Regular)
                throw new ProbeBenchException($"The image {path} is {status.Describe()}; only regular files are read.");
            if (status.Size > MaxFileBytes)
                throw new ProbeBenchException($"The image {path} is {status.Size} bytes, above the limit of {MaxFileBytes} bytes per image file.");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the image {path} ({e.Message}).", inner: e);
        }
        return DecodeRgb(bytes, path);
    }

    /// <summary>Decodes <paramref name="encoded"/>; <paramref name="pathForErrors"/> names the file in the error.</summary>
    public static RgbImage DecodeRgb(byte[] encoded, string pathForErrors, long maxPixels = MaxPixels)
    {
        if (PpmDecoder.IsPpm(encoded)) return PpmDecoder.Decode(encoded, pathForErrors, maxPixels);
        if (PngDimensions(encoded) is var (pngWidth, pngHeight) && (long)pngWidth * pngHeight > maxPixels)
            throw new ProbeBenchException($"The image {pathForErrors} claims {pngWidth}×{pngHeight} pixels, above the limit of {maxPixels} pixels per image.");
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new ProbeBenchException($"The image {pathForErrors} could not be decoded (not a JPEG, PNG, BMP, WebP or PPM file, or corrupt).");
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0)
            throw new ProbeBenchException($"The image {pathForErrors} has no pixels ({width}×{height}).");
        var pixels = (long)width * height;
        if (pixels > maxPixels)
            throw new ProbeBenchException($"The image {pathForErrors} claims {width}×{height} pixels, above the limit of {maxPixels} pixels per image.");

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[pixels * 4];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* target = rgba)
                result = codec.GetPixels(info, (IntPtr)target);
        }
        if (result != SKCodecResult.Success)
            throw new ProbeBenchException($"The image {pathForErrors} could not be decoded ({result}); it is truncated or corrupt.");

        var rgb = new byte[pixels * 3];
        for (long p = 0, s = 0, d = 0; p < pixels; p++, s += 4, d += 3)
        {
            rgb[d] = rgba[s];
            rgb[d + 1] = rgba[s + 1];
            rgb[d + 2] = rgba[s + 2];
        }
        return new RgbImage(rgb, height, width);
    }

    /// <summary>An image file's height and width from its header (no pixel is decoded; PPM files are decoded).</summary>
    public static (int Height, int Width) Dimensions(string path)
    {
        if (FileStatus.Of(path) is { Kind: not FileKind.Regular } status)
            throw new ProbeBenchException($"The image {path} is {status.Describe()}.");
        try
        {
            using var stream = File.OpenRead(path);
            using var codec = SKCodec.Create(stream);
            if (codec is not null && codec.Info.Width > 0 && codec.Info.Height > 0) return (codec.Info.Height, codec.Info.Width);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the image {path} ({e.Message}).", inner: e);
        }
        var image = DecodeRgb(path);
        return (image.Height, image.Width);
    }

    /// <summary>Width and height from a PNG's IHDR chunk (bytes 16–23), read before any decoder sees the file.</summary>
    private static (uint Width, uint Height)? PngDimensions(byte[] bytes) =>
        bytes.Length >= 24 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G'
        && bytes[12] == (byte)'I' && bytes[13] == (byte)'H' && bytes[14] == (byte)'D' && bytes[15] == (byte)'R'
            ? (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)))
            : null;
}
