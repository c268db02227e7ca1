using System.Text;

namespace ProbeBench.Core.Data.Files;

/// <summary>
/// Binary PPM (<c>P6</c>, as GTSRB ships its images): an ASCII header of width, height and maximum value (comments
/// allowed), one whitespace byte, then RGB samples (one byte each up to 255, two big-endian bytes above, scaled to 8 bits).
/// </summary>
public static class PpmDecoder
{
    public static bool IsPpm(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] == (byte)'6';

    public static RgbImage Decode(byte[] bytes, string pathForErrors, long maxPixels)
    {
        var position = 2;
        var width = Number(bytes, ref position, pathForErrors);
        var height = Number(bytes, ref position, pathForErrors);
        var maxValue = Number(bytes, ref position, pathForErrors);
        if (width <= 0 || height <= 0) throw new ProbeBenchException($"The image {pathForErrors} has no pixels ({width}×{height}).");
        if ((long)width * height > maxPixels)
            throw new ProbeBenchException($"The image {pathForErrors} claims {width}×{height} pixels, above the limit of {maxPixels} pixels per image.");
        if (maxValue is <= 0 or > 65535) throw new ProbeBenchException($"The PPM image {pathForErrors} has maximum value {maxValue}.");
        position++; // the single whitespace byte before the samples
        var sampleBytes = maxValue > 255 ? 2 : 1;
        var need = (long)width * height * 3 * sampleBytes;
        if (bytes.Length - position < need)
            throw new ProbeBenchException($"The PPM image {pathForErrors} is truncated: {width}×{height} needs {need} sample bytes, {Math.Max(0, bytes.Length - position)} follow.");
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            var sample = sampleBytes == 1 ? bytes[position + i] : (bytes[position + 2 * i] << 8) | bytes[position + 2 * i + 1];
            rgb[i] = maxValue == 255 ? (byte)sample : (byte)Math.Round(sample * 255.0 / maxValue);
        }
        return new RgbImage(rgb, height, width);
    }

    private static int Number(byte[] bytes, ref int position, string path)
    {
        while (position < bytes.Length && (char.IsWhiteSpace((char)bytes[position]) || bytes[position] == '#'))
        {
            if (bytes[position] == '#')
                while (position < bytes.Length && bytes[position] != '\n') position++;
            else position++;
        }
        var start = position;
        while (position < bytes.Length && position - start < 10 && bytes[position] is >= (byte)'0' and <= (byte)'9') position++;
        // Ten digits at most: a longer number is not cut in two (the rest would be read as the next field).
        if (position == start || position < bytes.Length && bytes[position] is >= (byte)'0' and <= (byte)'9'
            || !int.TryParse(Encoding.ASCII.GetString(bytes, start, position - start), out var value))
            throw new ProbeBenchException($"The PPM image {path} has a malformed header.");
        return value;
    }
}
