using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ProbeBench.Core.Cache.Export;

/// <summary>
/// NumPy's <c>.npy</c> format, version 1.0: the magic, a little-endian header length, a Python-literal header padded so
/// the data starts on a 64-byte boundary, then the array in C order (numpy.lib.format).
/// </summary>
public static class NpyWriter
{
    public static void Write(Stream stream, ReadOnlySpan<float> values, params long[] shape) =>
        Write(stream, "<f4", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    public static void Write(Stream stream, ReadOnlySpan<long> values, params long[] shape) =>
        Write(stream, "<i8", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    private static void Write(Stream stream, string descr, long[] shape, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The .npy writer is little-endian only.");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        Span<byte> prefix = stackalloc byte[10];
        prefix[0] = 0x93;
        "NUMPY"u8.CopyTo(prefix[1..]);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }
}
