using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ProbeBench.Core.Cache.Export;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header (each tensor's dtype, shape and byte
/// offsets, plus a <c>__metadata__</c> map of strings), then the tensors' bytes back to back.
/// </summary>
public static class SafetensorsWriter
{
    public sealed record Tensor(string Name, string DType, long[] Shape, byte[] Bytes);

    public static Tensor Floats(string name, ReadOnlySpan<float> values, params long[] shape) => new(name, "F32", shape, MemoryMarshal.AsBytes(values).ToArray());

    public static Tensor Longs(string name, ReadOnlySpan<long> values, params long[] shape) => new(name, "I64", shape, MemoryMarshal.AsBytes(values).ToArray());

    public static void Write(Stream stream, IReadOnlyList<Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = metadata };
        long offset = 0;
        foreach (var t in tensors)
        {
            header[t.Name] = new { dtype = t.DType, shape = t.Shape, data_offsets = new[] { offset, offset + t.Bytes.LongLength } };
            offset += t.Bytes.LongLength;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // Pad the header with spaces so the data is 8-byte aligned, as the reference writer does.
        var padded = json.Length + (8 - json.Length % 8) % 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var t in tensors) stream.Write(t.Bytes);
    }
}
