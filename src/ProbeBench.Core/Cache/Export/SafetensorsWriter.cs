using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Cache.Export;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header (each tensor's dtype, shape and byte
/// offsets, plus a <c>__metadata__</c> map of strings), then the tensors' bytes back to back, written in bounded slices.
/// Offsets are 64-bit, computed from the shapes: a tensor may exceed 2 GiB.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>One tensor: its name, dtype and shape, and its values (kept by reference; written when the file is).</summary>
    public abstract record Tensor(string Name, string DType, long[] Shape)
    {
        /// <summary>Bytes per value of <see cref="DType"/>.</summary>
        internal abstract int ElementBytes { get; }

        internal abstract void WriteData(Stream stream, int sliceBytes);
    }

    private sealed record Values<T>(string Name, string DType, long[] Shape, ReadOnlyMemory<T> Data) : Tensor(Name, DType, Shape) where T : unmanaged
    {
        internal override int ElementBytes => Unsafe.SizeOf<T>();

        internal override void WriteData(Stream stream, int sliceBytes) => ArraySlices.Write(stream, Data.Span, sliceBytes);
    }

    public static Tensor Floats(string name, ReadOnlyMemory<float> values, params long[] shape)
    {
        ArraySlices.CheckShape(shape, values.Length);
        return new Values<float>(name, "F32", shape, values);
    }

    public static Tensor Longs(string name, ReadOnlyMemory<long> values, params long[] shape)
    {
        ArraySlices.CheckShape(shape, values.Length);
        return new Values<long>(name, "I64", shape, values);
    }

    public static void Write(Stream stream, IReadOnlyList<Tensor> tensors, IReadOnlyDictionary<string, string> metadata) =>
        Write(stream, tensors, metadata, ArraySlices.DefaultBytes);

    internal static void Write(Stream stream, IReadOnlyList<Tensor> tensors, IReadOnlyDictionary<string, string> metadata, int sliceBytes)
    {
        stream.Write(Header(tensors.Select(t => (t.Name, t.DType, t.Shape, t.ElementBytes)).ToList(), metadata));
        foreach (var t in tensors) t.WriteData(stream, sliceBytes);
    }

    /// <summary>
    /// The length field and the JSON header, padded with spaces so the data is 8-byte aligned (as the reference writer does);
    /// it depends on the shapes alone. A header larger than <paramref name="maxBytes"/> (what safetensors readers accept) is
    /// refused: ids and class names in the metadata grow with the rows.
    /// </summary>
    internal static byte[] Header(IReadOnlyList<(string Name, string DType, long[] Shape, int ElementBytes)> tensors, IReadOnlyDictionary<string, string> metadata,
        long maxBytes = SafetensorsHeader.MaxHeaderBytes)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = metadata };
        long offset = 0;
        foreach (var (name, dtype, shape, elementBytes) in tensors)
        {
            var bytes = checked(ArraySlices.Count(shape) * elementBytes);
            header[name] = new { dtype, shape, data_offsets = new[] { offset, checked(offset + bytes) } };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = json.Length + (8 - json.Length % 8) % 8;
        if (padded > maxBytes)
            throw new ProbeBenchException(
                $"its safetensors header would take {padded:N0} bytes (the ids and class names of its metadata), more than the {maxBytes:N0} safetensors readers accept; export it as npy or parquet, whose ids go to a JSON sidecar.");
        var result = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result.AsSpan(8));
        result.AsSpan(8 + json.Length).Fill((byte)' ');
        return result;
    }
}
