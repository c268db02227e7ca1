using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace ProbeBench.Core.Data;

/// <summary>Encodes single-channel PNGs (8- or 16-bit greyscale, filter 0): depth maps in millimetres and class maps.</summary>
public static class PngWriter
{
    public static byte[] Grey16(ReadOnlySpan<ushort> values, int height, int width) => Encode(values.ToArray().Select(v => (int)v).ToArray(), height, width, 16);

    public static byte[] Grey8(ReadOnlySpan<byte> values, int height, int width) => Encode(values.ToArray().Select(v => (int)v).ToArray(), height, width, 8);

    private static byte[] Encode(int[] values, int height, int width, int bitDepth)
    {
        if (values.Length != (long)height * width) throw new ArgumentException($"{values.Length} values do not make {height}×{width} pixels.");
        var bytesPerSample = bitDepth / 8;
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < width; x++)
            {
                var v = values[y * width + x];
                if (bytesPerSample == 2) raw.WriteByte((byte)(v >> 8));
                raw.WriteByte((byte)v);
            }
        }
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(z);
        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
        png.Write(crc);
    }
}
