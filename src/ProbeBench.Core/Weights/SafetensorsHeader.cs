using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace ProbeBench.Core.Weights;

/// <summary>One tensor's entry in a safetensors header; offsets are absolute file positions.</summary>
public sealed record SafetensorsEntry(string Name, string DTypeName, ScalarType DType, int ElementSize, long[] Shape, long FileOffset, long ByteLength)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The parsed and validated header of a safetensors file: u64 little-endian header length, a JSON object
/// of <c>name → {dtype, shape, data_offsets}</c> plus optional <c>__metadata__</c>, then the data section.
/// Every entry is checked against the file size before any tensor is read.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private SafetensorsHeader(string path, IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Path = path;
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
    }

    public string Path { get; }

    /// <summary>Entries in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public long DataStart { get; }

    public static SafetensorsHeader Read(string path)
    {
        using var handle = OpenForReading(path);
        return Read(handle, path);
    }

    public static SafetensorsHeader Read(SafeFileHandle handle, string path)
    {
        var fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw new ProbeBenchException($"{path} is not a safetensors file: it has {fileLength} bytes, fewer than the 8-byte header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(handle, lengthBytes, 0, path);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength < 2 || headerLength > MaxHeaderBytes)
            throw new ProbeBenchException($"{path} is not a safetensors file: its header length {headerLength} is outside 2..{MaxHeaderBytes} bytes.");
        if ((long)headerLength > fileLength - 8)
            throw new ProbeBenchException($"{path} is truncated: its safetensors header needs {headerLength} bytes but only {fileLength - 8} follow the length field.");

        var json = new byte[headerLength];
        ReadExactly(handle, json, 8, path);
        var dataStart = 8 + (long)headerLength;
        return Parse(json, path, dataStart, fileLength - dataStart);
    }

    internal static SafetensorsHeader Parse(ReadOnlySpan<byte> json, string path, long dataStart, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"{path} has a safetensors header that is not valid JSON ({e.Message}).", inner: e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ProbeBenchException($"{path} has a safetensors header that is not a JSON object.");

            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new ProbeBenchException($"{path} has the key '{property.Name}' twice in its safetensors header.");
                if (property.Name == "__metadata__")
                    ReadMetadata(property.Value, path, metadata);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, path, dataStart, dataLength));
            }
            CheckNoOverlap(entries, path);
            return new SafetensorsHeader(path, entries, metadata, dataStart);
        }
    }

    private static void ReadMetadata(JsonElement element, string path, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ProbeBenchException($"{path} has a '__metadata__' entry that is not a JSON object of strings.");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new ProbeBenchException($"{path} has a '__metadata__' value for '{item.Name}' that is not a string.");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement element, string path, long dataStart, long dataLength)
    {
        string Where() => $"{path}: tensor '{name}'";
        if (element.ValueKind != JsonValueKind.Object)
            throw new ProbeBenchException($"{Where()} is not a JSON object in the safetensors header.");

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new ProbeBenchException($"{Where()} has no string 'dtype' in the safetensors header.");
        var dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryGet(dtypeName, out var dtype, out var elementSize))
            throw new ProbeBenchException($"{Where()} has dtype '{dtypeName}', which ProbeBench does not read (known: {string.Join(", ", SafetensorsDType.Names)}).");

        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new ProbeBenchException($"{Where()} has no 'shape' array in the safetensors header.");
        var shape = new long[shapeElement.GetArrayLength()];
        // Any zero dimension makes the tensor empty, however large the others (the product is taken without them).
        var empty = shapeElement.EnumerateArray().Any(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v) && v == 0);
        var elementCount = empty ? 0L : 1L;
        var index = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var size) || size < 0)
                throw new ProbeBenchException($"{Where()} has a shape entry that is not a non-negative integer.");
            shape[index++] = size;
            if (empty) continue;
            try { elementCount = checked(elementCount * size); }
            catch (OverflowException) { throw new ProbeBenchException($"{Where()} has a shape whose element count overflows."); }
        }

        if (!element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw new ProbeBenchException($"{Where()} has no two-element 'data_offsets' array in the safetensors header.");
        var begin = ReadOffset(offsetsElement[0], Where);
        var end = ReadOffset(offsetsElement[1], Where);
        if (begin > end)
            throw new ProbeBenchException($"{Where()} has data_offsets [{begin}, {end}] that end before they begin.");
        if (end > dataLength)
            throw new ProbeBenchException($"{Where()} has data_offsets [{begin}, {end}] past the end of the data section ({dataLength} bytes): the file is truncated or corrupt.");
        long expectedBytes;
        try { expectedBytes = checked(elementCount * elementSize); }
        catch (OverflowException) { throw new ProbeBenchException($"{Where()} has a shape whose byte size overflows."); }
        if (end - begin != expectedBytes)
            throw new ProbeBenchException($"{Where()} spans {end - begin} bytes but its {dtypeName} shape [{string.Join(", ", shape)}] needs {expectedBytes}.");

        return new SafetensorsEntry(name, dtypeName, dtype, elementSize, shape, dataStart + begin, end - begin);
    }

    private static long ReadOffset(JsonElement element, Func<string> where)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value) || value < 0)
            throw new ProbeBenchException($"{where()} has a data_offsets entry that is not a non-negative integer.");
        return value;
    }

    private static void CheckNoOverlap(List<SafetensorsEntry> entries, string path)
    {
        var byOffset = entries.Where(e => e.ByteLength > 0).OrderBy(e => e.FileOffset).ToList();
        for (var i = 1; i < byOffset.Count; i++)
        {
            var previous = byOffset[i - 1];
            if (byOffset[i].FileOffset < previous.FileOffset + previous.ByteLength)
                throw new ProbeBenchException($"{path}: tensors '{previous.Name}' and '{byOffset[i].Name}' overlap in the data section: the file is corrupt.");
        }
    }

    internal static SafeFileHandle OpenForReading(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not open checkpoint {path} ({e.Message}).", inner: e);
        }
    }

    internal static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long fileOffset, string path)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(handle, buffer, fileOffset);
            if (read <= 0)
                throw new ProbeBenchException($"{path} ended early at byte {fileOffset}: the file is truncated.");
            buffer = buffer[read..];
            fileOffset += read;
        }
    }

    public override string ToString() => $"{Path}: {Entries.Count} tensors, data at byte {DataStart}";
}
