using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ProbeBench.Core.Data.Files;

/// <summary>
/// A bounds-checked reader of MATLAB level-5 MAT-files (what MATLAB writes with <c>save</c> up to <c>-v7</c>, and what
/// scipy.io.loadmat reads): numeric, char, cell and struct arrays, zlib-compressed elements, either byte order. Every
/// size is checked against the bytes that are really there, inflation is bounded, nesting is bounded, and any
/// violation is one error naming the file. v7.3 files (HDF5) and sparse or object arrays are refused.
/// </summary>
public sealed class MatFile
{
    public const int HeaderBytes = 128;
    /// <summary>Largest inflated size of one compressed element, and of the whole file (2 GiB less a margin).</summary>
    public const long MaxElementBytes = int.MaxValue - 64;
    private const int MaxDepth = 32;
    private const int ArrayFlagComplex = 0x0800;

    private readonly Dictionary<string, MatArray> _variables;

    private MatFile(Dictionary<string, MatArray> variables) => _variables = variables;

    public IReadOnlyCollection<string> Names => _variables.Keys;

    public MatArray Get(string name, string path) =>
        _variables.TryGetValue(name, out var array) ? array
        : throw new ProbeBenchException($"{path} has no MAT variable '{name}' (it has {string.Join(", ", _variables.Keys)}).");

    public static MatFile Read(string path)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxElementBytes) throw new ProbeBenchException($"{path} holds {length} bytes; MAT files above 2 GiB are not read.");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the MAT file {path} ({e.Message}).", inner: e);
        }
        return Parse(bytes, path);
    }

    public static MatFile Parse(byte[] bytes, string path)
    {
        if (bytes.Length < HeaderBytes)
            throw new ProbeBenchException($"{path} is {bytes.Length} bytes, shorter than a MAT-file header; it is not a MATLAB v5 file.");
        if (Encoding.ASCII.GetString(bytes, 0, 10) is var text && text.StartsWith("MATLAB 7.3", StringComparison.Ordinal))
            throw new ProbeBenchException($"{path} is a MATLAB v7.3 (HDF5) file; save it with -v7 or convert it to be read.");
        var bigEndian = bytes[126] == (byte)'M' && bytes[127] == (byte)'I';
        if (!bigEndian && !(bytes[126] == (byte)'I' && bytes[127] == (byte)'M'))
            throw new ProbeBenchException($"{path} has no MAT-file v5 endian marker; it is not a MATLAB v5 file.");
        var reader = new Reader(path, bigEndian);
        var variables = new Dictionary<string, MatArray>();
        ReadOnlyMemory<byte> data = bytes.AsMemory(HeaderBytes);
        while (!data.IsEmpty)
        {
            var (array, rest) = reader.TopLevel(data, 0);
            data = rest;
            if (array is not null) variables[array.Name] = array;
        }
        return new MatFile(variables);
    }

    private sealed class Reader(string path, bool bigEndian)
    {
        private ProbeBenchException Corrupt(string what) => new($"{path} is not a valid MAT file: {what}.");

        private uint U32(ReadOnlySpan<byte> s) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

        private int I32(ReadOnlySpan<byte> s) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s);

        /// <summary>One data element: its type, payload, and what follows it (8-byte aligned).</summary>
        private (MatDataType Type, ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Remainder) Element(ReadOnlyMemory<byte> data)
        {
            var span = data.Span;
            if (span.Length < 8) throw Corrupt($"a data element tag is cut off ({span.Length} bytes left)");
            var first = U32(span);
            if (first >> 16 != 0)
            {
                // Small element: type and size in the first 4 bytes, up to 4 payload bytes in the next 4.
                var smallSize = (int)(first >> 16);
                if (smallSize > 4) throw Corrupt($"a small data element claims {smallSize} bytes");
                return ((MatDataType)(first & 0xFFFF), data.Slice(4, smallSize), data[8..]);
            }
            var size = U32(span[4..]);
            if (size > span.Length - 8) throw Corrupt($"a data element claims {size} bytes where {span.Length - 8} are left");
            var type = (MatDataType)first;
            var padded = type == MatDataType.Compressed ? size : (size + 7) & ~7u;
            var restStart = (int)Math.Min(8 + padded, span.Length);
            return (type, data.Slice(8, (int)size), data[restStart..]);
        }

        public (MatArray? Array, ReadOnlyMemory<byte> Remainder) TopLevel(ReadOnlyMemory<byte> data, int depth)
        {
            var (type, payload, rest) = Element(data);
            switch (type)
            {
                case MatDataType.Compressed:
                    var inflated = Inflate(payload);
                    var (inner, _) = TopLevel(inflated, depth + 1);
                    return (inner, rest);
                case MatDataType.Matrix:
                    return (Matrix(payload, depth), rest);
                default:
                    return (null, rest); // not a variable (MATLAB writes none, but skipping is harmless)
            }
        }

        private ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> compressed)
        {
            using var input = new ZLibStream(new MemoryStream(compressed.ToArray(), writable: false), CompressionMode.Decompress);
            // The inflated element starts with its own tag, which says how long it is: read that, then exactly that.
            var tag = new byte[8];
            if (ReadFully(input, tag) < 8) throw Corrupt("a compressed element inflates to less than a tag");
            var first = U32(tag);
            var size = first >> 16 != 0 ? 0 : U32(tag.AsSpan(4));
            if (size > MaxElementBytes - 8) throw Corrupt($"a compressed element claims {size} inflated bytes");
            var whole = new byte[8 + size];
            tag.CopyTo(whole, 0);
            if (first >> 16 != 0) return whole.AsMemory(0, 8);
            if (ReadFully(input, whole.AsSpan(8)) < size) throw Corrupt($"a compressed element inflates to fewer than the {size} bytes it claims");
            return whole;
        }

        private static int ReadFully(Stream stream, Span<byte> buffer)
        {
            var total = 0;
            try
            {
                while (total < buffer.Length)
                {
                    var read = stream.Read(buffer[total..]);
                    if (read == 0) break;
                    total += read;
                }
            }
            catch (InvalidDataException)
            {
                return total;
            }
            return total;
        }

        private MatArray Matrix(ReadOnlyMemory<byte> payload, int depth)
        {
            if (depth > MaxDepth) throw Corrupt($"arrays nest deeper than {MaxDepth} levels");
            if (payload.IsEmpty) return new MatArray("", MatClass.Double, [0, 0]);
            var (flagsType, flags, rest) = Element(payload);
            if (flagsType != MatDataType.UInt32 || flags.Length < 8) throw Corrupt("an array has no array-flags element");
            var flagWord = U32(flags.Span);
            var arrayClass = (int)(flagWord & 0xFF);
            var (dimsType, dimsBytes, afterDims) = Element(rest);
            if (dimsType != MatDataType.Int32 || dimsBytes.Length < 8 || dimsBytes.Length % 4 != 0) throw Corrupt("an array has no dimensions element");
            var dims = new int[dimsBytes.Length / 4];
            long count = 1;
            for (var i = 0; i < dims.Length; i++)
            {
                dims[i] = I32(dimsBytes.Span[(4 * i)..]);
                if (dims[i] < 0) throw Corrupt($"an array has a negative dimension {dims[i]}");
                count *= dims[i];
                if (count > MaxElementBytes) throw Corrupt($"an array claims {count}+ elements");
            }
            var (nameType, nameBytes, body) = Element(afterDims);
            if (nameType is not (MatDataType.Int8 or MatDataType.UInt8)) throw Corrupt("an array has no name element");
            var name = Encoding.UTF8.GetString(nameBytes.Span);
            if (!Enum.IsDefined((MatClass)arrayClass))
                throw new ProbeBenchException($"{path}: MAT variable '{name}' is of class {arrayClass} (sparse, object or function); only numeric, char, cell and struct arrays are read.");
            var array = new MatArray(name, (MatClass)arrayClass, dims);
            switch (array.Class)
            {
                case MatClass.Cell:
                    array.Cells = Children(body, (int)count, depth, name);
                    break;
                case MatClass.Struct:
                    var (lengthType, lengthBytes, afterLength) = Element(body);
                    if (lengthType != MatDataType.Int32 || lengthBytes.Length < 4) throw Corrupt($"struct '{name}' has no field-name length");
                    var nameLength = I32(lengthBytes.Span);
                    var (_, namesBytes, fieldsData) = Element(afterLength);
                    if (nameLength <= 0 || namesBytes.Length % nameLength != 0) throw Corrupt($"struct '{name}' has field names of length {nameLength} in {namesBytes.Length} bytes");
                    array.FieldNames = Enumerable.Range(0, namesBytes.Length / nameLength)
                        .Select(f => Encoding.ASCII.GetString(namesBytes.Span.Slice(f * nameLength, nameLength)).TrimEnd('\0')).ToArray();
                    array.FieldValues = Children(fieldsData, checked((int)count * array.FieldNames.Length), depth, name);
                    break;
                default:
                    if ((flagWord & ArrayFlagComplex) != 0) throw new ProbeBenchException($"{path}: MAT variable '{name}' is complex; only real arrays are read.");
                    var (dataType, data, _) = Element(body);
                    var size = dataType.ByteSize();
                    if (size == 0) throw Corrupt($"variable '{name}' stores its data as type {(int)dataType}");
                    if (data.Length != count * size) throw Corrupt($"variable '{name}' has {count} elements of {size} bytes but {data.Length} data bytes");
                    array.StoredType = dataType;
                    array.Data = data.ToArray();
                    array.BigEndian = bigEndian;
                    break;
            }
            return array;
        }

        private MatArray[] Children(ReadOnlyMemory<byte> data, int count, int depth, string parent)
        {
            var children = new MatArray[count];
            for (var i = 0; i < count; i++)
            {
                var (type, payload, rest) = Element(data);
                if (type != MatDataType.Matrix) throw Corrupt($"element {i} of '{parent}' is not an array");
                children[i] = Matrix(payload, depth + 1);
                data = rest;
            }
            return children;
        }
    }
}
