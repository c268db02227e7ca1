using System.Buffers.Binary;
using System.IO.Compression;

namespace ProbeBench.Core.Data;

/// <summary>A greyscale 16-bit image, row-major.</summary>
public sealed record Grey16Image(ushort[] Values, int Height, int Width);

/// <summary>
/// Reads 16-bit greyscale PNGs (colour type 0, bit depth 16, not interlaced; all five row filters) without losing
/// precision: SkiaSharp decodes them to 8 bits, which would quantise depth maps to 256 levels.
/// </summary>
public static class Grey16Png
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static Grey16Image Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the depth map {path} ({e.Message}).", inner: e);
        }
        return Read(bytes, path);
    }

    public static Grey16Image Read(byte[] png, string pathForErrors)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new ProbeBenchException($"The depth map {pathForErrors} is not a PNG file.");

        int width = 0, height = 0;
        var idat = new MemoryStream();
        var offset = 8;
        var sawHeader = false;
        while (true)
        {
            if (offset + 8 > png.Length)
                throw new ProbeBenchException($"The depth map {pathForErrors} is truncated (no IEND chunk).");
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (length < 0 || offset + 12L + length > png.Length)
                throw new ProbeBenchException($"The depth map {pathForErrors} is truncated (chunk {type}).");
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                int bitDepth = data[8], colourType = data[9], interlace = data[12];
                if (bitDepth != 16 || colourType != 0 || interlace != 0)
                    throw new ProbeBenchException(
                        $"The depth map {pathForErrors} is bit depth {bitDepth}, colour type {colourType}, interlace {interlace}; a 16-bit greyscale non-interlaced PNG is required.");
                if (width <= 0 || height <= 0)
                    throw new ProbeBenchException($"The depth map {pathForErrors} has no pixels ({width}×{height}).");
                sawHeader = true;
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
            offset += 12 + length;
        }
        if (!sawHeader)
            throw new ProbeBenchException($"The depth map {pathForErrors} has no IHDR chunk.");

        const int bytesPerPixel = 2;
        var stride = width * bytesPerPixel;
        var raw = new byte[(long)height * (stride + 1)];
        try
        {
            idat.Position = 0;
            using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
            inflater.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ProbeBenchException($"The depth map {pathForErrors} has corrupt or short image data ({e.Message}).", inner: e);
        }

        var values = new ushort[width * height];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (stride + 1), stride + 1);
            var filter = row[0];
            row[1..].CopyTo(current);
            Unfilter(filter, current, previous, bytesPerPixel, pathForErrors);
            for (var x = 0; x < width; x++)
                values[y * width + x] = (ushort)(current[2 * x] << 8 | current[2 * x + 1]);
            (previous, current) = (current, previous);
        }
        return new Grey16Image(values, height, width);
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp, string pathForErrors)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (var i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case 2:
                for (var i = 0; i < row.Length; i++) row[i] += above[i];
                break;
            case 3:
                for (var i = 0; i < row.Length; i++)
                    row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + above[i]) >> 1);
                break;
            case 4:
                for (var i = 0; i < row.Length; i++)
                    row[i] += Paeth(i >= bpp ? row[i - bpp] : (byte)0, above[i], i >= bpp ? above[i - bpp] : (byte)0);
                break;
            default:
                throw new ProbeBenchException($"The depth map {pathForErrors} uses unknown PNG row filter {filter}.");
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
