using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ProbeBench.Core.Cache;

/// <summary>Chunk file bytes: rows × dim values (fp16 or fp32, little-endian), then rows int32 labels.</summary>
internal static class ChunkCodec
{
    public static int BytesPerValue(string storageType) => storageType switch
    {
        "fp16" => 2,
        "fp32" => 4,
        _ => throw new ProbeBenchException($"Feature storage type '{storageType}' is not supported; use fp16 or fp32."),
    };

    /// <summary>The size of a chunk file of <paramref name="rows"/> rows, in 64-bit arithmetic that throws rather than wraps.</summary>
    public static long FileBytes(int rows, int dim, string storageType) => checked((long)rows * dim * BytesPerValue(storageType) + rows * 4L);

    /// <summary>
    /// Why chunks of <paramref name="rows"/> rows of <paramref name="dim"/> values cannot exist, or null: each chunk is one
    /// buffer (the writer fills one float array and encodes one byte array; readers read a chunk file into one buffer).
    /// </summary>
    public static string? ChunkProblem(int rows, int dim, string storageType)
    {
        // Both are positive ints, so their product fits a long; it is bounded before it is multiplied by the width.
        var values = (long)rows * dim;
        if (values <= Array.MaxLength && FileBytes(rows, dim, storageType) <= Array.MaxLength) return null;
        return $"a chunk of {rows} rows of {dim} values is larger than one buffer holds ({Array.MaxLength} bytes)";
    }

    public static byte[] Encode(ReadOnlySpan<float> values, ReadOnlySpan<int> labels, string storageType)
    {
        var width = BytesPerValue(storageType);
        var bytes = new byte[checked(values.Length * width + labels.Length * 4)];
        if (width == 2)
        {
            var halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan(0, values.Length * 2));
            TensorPrimitives.ConvertToHalf(values, halves);
            // fp16 tops out at 65504: a larger finite value would silently become infinity. The scan runs only
            // when the vectorized magnitude check (NaN included) says something may be out of range.
            if (values.Length > 0 && !(TensorPrimitives.MaxMagnitude(values) <= 65504f))
                for (var i = 0; i < values.Length; i++)
                    if (Half.IsInfinity(halves[i]) && float.IsFinite(values[i]))
                        throw new FeatureValueOverflowException(values[i]);
        }
        else
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        MemoryMarshal.AsBytes(labels).CopyTo(bytes.AsSpan(values.Length * width));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The feature cache is little-endian only.");
        return bytes;
    }

    public static void Decode(ReadOnlySpan<byte> bytes, int rows, int dim, string storageType, Span<float> values, Span<int> labels)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The feature cache is little-endian only.");
        var width = BytesPerValue(storageType);
        var count = checked(rows * dim);
        if (width == 2)
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes[..(count * 2)]), values[..count]);
        }
        else
        {
            MemoryMarshal.Cast<byte, float>(bytes[..(count * 4)]).CopyTo(values);
        }
        // Little-endian on disk and in memory (Encode refuses other machines).
        MemoryMarshal.Cast<byte, int>(bytes.Slice(count * width, rows * 4)).CopyTo(labels);
    }
}

/// <summary>A finite feature value beyond fp16's range (±65504) was about to be stored as fp16.</summary>
internal sealed class FeatureValueOverflowException(float value) : Exception($"{value} is beyond fp16's range")
{
    public float Value { get; } = value;
}
