using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace ProbeBench.Tests.Data;

/// <summary>Writes 16-bit greyscale PNGs, filtering row y with filter type <c>filters[y % filters.Length]</c>.</summary>
internal static class Grey16PngWriter
{
    public static byte[] Encode(ushort[] values, int height, int width, params byte[] filters)
    {
        if (filters.Length == 0) filters = [0];
        var stride = width * 2;
        var raw = new MemoryStream();
        var previous = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = new byte[stride];
            for (var x = 0; x < width; x++)
                BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(2 * x), values[y * width + x]);
            var filter = filters[y % filters.Length];
            raw.WriteByte(filter);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= 2 ? row[i - 2] : 0, b = previous[i], c = i >= 2 ? previous[i - 2] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => throw new ArgumentOutOfRangeException(nameof(filters)),
                };
                raw.WriteByte((byte)(row[i] - predictor));
            }
            previous = row;
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            raw.WriteTo(zlib);

        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 16;
        WriteChunk(png, "IHDR", header);
        // Two IDAT chunks, to check they are concatenated.
        var data = compressed.ToArray();
        var half = data.Length / 2;
        WriteChunk(png, "IDAT", data[..half]);
        WriteChunk(png, "IDAT", data[half..]);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        png.Write(crc);
    }
}
