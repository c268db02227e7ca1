using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ProbeBench.Tests.Weights;

/// <summary>Writes small safetensors files (optionally with a hand-made header) for reader tests.</summary>
internal sealed class SafetensorsFileBuilder
{
    private readonly List<(string Name, string DType, long[] Shape, byte[] Data)> _tensors = [];

    public SafetensorsFileBuilder Add(string name, string dtype, long[] shape, byte[] data)
    {
        _tensors.Add((name, dtype, shape, data));
        return this;
    }

    public SafetensorsFileBuilder AddFloats(string name, long[] shape, params float[] values)
    {
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        return Add(name, "F32", shape, data);
    }

    public string HeaderJson()
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, dtype, shape, data) in _tensors)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + data.Length } };
            offset += data.Length;
        }
        return JsonSerializer.Serialize(header);
    }

    public void Write(string path, string? headerJson = null)
    {
        var data = _tensors.SelectMany(t => t.Data).ToArray();
        WriteRaw(path, headerJson ?? HeaderJson(), data);
    }

    public static void WriteRaw(string path, string headerJson, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(headerJson);
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        stream.Write(data);
    }
}
