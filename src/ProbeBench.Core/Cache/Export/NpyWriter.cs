using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ProbeBench.Core.Cache.Export;

/// <summary>
/// NumPy's <c>.npy</c> format, version 1.0: the magic, a little-endian header length, a Python-literal header padded so
/// the data starts on a 64-byte boundary, then the array in C order (numpy.lib.format), written in bounded slices.
/// </summary>
public static class NpyWriter
{
    public static void Write(Stream stream, ReadOnlySpan<float> values, params long[] shape) => Write(stream, values, shape, ArraySlices.DefaultBytes);

    public static void Write(Stream stream, ReadOnlySpan<long> values, params long[] shape) => Write(stream, values, shape, ArraySlices.DefaultBytes);

    internal static void Write(Stream stream, ReadOnlySpan<float> values, long[] shape, int sliceBytes)
    {
        ArraySlices.CheckShape(shape, values.Length);
        stream.Write(Header("<f4", shape));
        ArraySlices.Write(stream, values, sliceBytes);
    }

    internal static void Write(Stream stream, ReadOnlySpan<long> values, long[] shape, int sliceBytes)
    {
        ArraySlices.CheckShape(shape, values.Length);
        stream.Write(Header("<i8", shape));
        ArraySlices.Write(stream, values, sliceBytes);
    }

    /// <summary>Everything before the data: it depends on the shape alone (64-bit dimensions), not on the values.</summary>
    internal static byte[] Header(string descr, IReadOnlyList<long> shape)
    {
        var dims = shape.Count == 1 ? $"{shape[0].ToString(CultureInfo.InvariantCulture)}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        var bytes = new byte[10 + header.Length];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), checked((ushort)header.Length));
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        return bytes;
    }
}
