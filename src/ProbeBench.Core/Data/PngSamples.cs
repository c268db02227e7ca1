using System.Buffers.Binary;
using System.IO.Compression;

namespace ProbeBench.Core.Data;

/// <summary>The raw samples of a single-channel PNG, row-major: grey levels or palette indices, never colours.</summary>
public sealed record PngSampleImage(ushort[] Values, int Height, int Width, int BitDepth, int ColourType);

/// <summary>
/// Reads the samples of single-channel PNGs without converting them: 16-bit greyscale (depth maps), 8-bit greyscale
/// (ADE20K label maps) and 8-bit palette images (PASCAL VOC label maps, whose palette indices are the classes).
/// SkiaSharp would turn the first into 8 bits and the last into colours. Non-interlaced only; all five row filters; the
/// size is checked against <see cref="ImageDecoder.MaxPixels"/> before anything is inflated.
/// </summary>
public static class PngSamples
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Colour type 0: greyscale. Colour type 3: palette indices.</summary>
    public const int Grey = 0, Palette = 3;

    /// <param name="what">What the file is, for errors ("depth map", "label map").</param>
    /// <param name="accepted">Which (bit depth, colour type) pairs the caller reads; others are refused naming the file.</param>
    public static PngSampleImage Read(byte[] png, string pathForErrors, string what, IReadOnlyCollection<(int BitDepth, int ColourType)> accepted, string acceptedText)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new ProbeBenchException($"The {what} {pathForErrors} is not a PNG file.");

        int width = 0, height = 0, bitDepth = 0, colourType = 0;
        var idat = new MemoryStream();
        var offset = 8;
        var sawHeader = false;
        while (true)
        {
            if (offset + 8 > png.Length)
                throw new ProbeBenchException($"The {what} {pathForErrors} is truncated (no IEND chunk).");
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (length < 0 || offset + 12L + length > png.Length)
                throw new ProbeBenchException($"The {what} {pathForErrors} is truncated (chunk {type}).");
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                if (length < 13) throw new ProbeBenchException($"The {what} {pathForErrors} has a short IHDR chunk.");
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                bitDepth = data[8];
                colourType = data[9];
                int interlace = data[12];
                if (!accepted.Contains((bitDepth, colourType)) || interlace != 0)
                    throw new ProbeBenchException(
                        $"The {what} {pathForErrors} is bit depth {bitDepth}, colour type {colourType}, interlace {interlace}; {acceptedText} is required.");
                if (width <= 0 || height <= 0)
                    throw new ProbeBenchException($"The {what} {pathForErrors} has no pixels ({width}×{height}).");
                if ((long)width * height > ImageDecoder.MaxPixels)
                    throw new ProbeBenchException($"The {what} {pathForErrors} is {width}×{height}, above the {ImageDecoder.MaxPixels}-pixel limit.");
                sawHeader = true;
            }
            else if (type == "IDAT")
            {
                if (!sawHeader) throw new ProbeBenchException($"The {what} {pathForErrors} has image data before its IHDR chunk.");
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
            offset += 12 + length;
        }
        if (!sawHeader)
            throw new ProbeBenchException($"The {what} {pathForErrors} has no IHDR chunk.");

        var bytesPerSample = bitDepth == 16 ? 2 : 1;
        var stride = width * bytesPerSample;
        var raw = new byte[(long)height * (stride + 1)];
        try
        {
            idat.Position = 0;
            using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
            inflater.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ProbeBenchException($"The {what} {pathForErrors} has corrupt or short image data ({e.Message}).", inner: e);
        }

        var values = new ushort[(long)width * height];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan((int)((long)y * (stride + 1)), stride + 1);
            row[1..].CopyTo(current);
            Unfilter(row[0], current, previous, bytesPerSample, what, pathForErrors);
            var line = values.AsSpan((int)((long)y * width), width);
            if (bytesPerSample == 2)
                for (var x = 0; x < width; x++) line[x] = (ushort)(current[2 * x] << 8 | current[2 * x + 1]);
            else
                for (var x = 0; x < width; x++) line[x] = current[x];
            (previous, current) = (current, previous);
        }
        return new PngSampleImage(values, height, width, bitDepth, colourType);
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp, string what, string pathForErrors)
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
                throw new ProbeBenchException($"The {what} {pathForErrors} uses unknown PNG row filter {filter}.");
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
