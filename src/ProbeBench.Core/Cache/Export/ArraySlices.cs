using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProbeBench.Core.Cache.Export;

/// <summary>
/// Writes an array's bytes to a stream in slices of at most <see cref="DefaultBytes"/> bytes, never as one span of bytes:
/// a feature matrix over 2 GiB has more bytes than a span (or a byte array) can count.
/// </summary>
internal static class ArraySlices
{
    public const int DefaultBytes = 16 << 20;

    /// <summary>Each write holds whole values, at most <paramref name="sliceBytes"/> bytes (one value when a value is larger).</summary>
    public static void Write<T>(Stream stream, ReadOnlySpan<T> values, int sliceBytes = DefaultBytes) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The feature exports are little-endian only.");
        var perSlice = Math.Max(1, sliceBytes / Unsafe.SizeOf<T>());
        while (!values.IsEmpty)
        {
            var n = Math.Min(perSlice, values.Length);
            stream.Write(MemoryMarshal.AsBytes(values[..n]));
            values = values[n..];
        }
    }

    /// <summary>The number of values a shape holds, in 64-bit arithmetic that throws rather than wraps.</summary>
    public static long Count(IReadOnlyList<long> shape)
    {
        var count = 1L;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), d, "a dimension is negative");
            count = checked(count * d);
        }
        return count;
    }

    public static void CheckShape(IReadOnlyList<long> shape, int values)
    {
        if (Count(shape) != values)
            throw new ArgumentException($"The shape ({string.Join(", ", shape)}) holds {Count(shape)} values, not the {values} given.", nameof(shape));
    }
}
