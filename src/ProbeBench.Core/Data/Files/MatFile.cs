using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data.Files;

/// <summary>
/// A bounds-checked reader of MATLAB level-5 MAT-files (what MATLAB writes with <c>save</c> up to <c>-v7</c>, and what
/// scipy.io.loadmat reads): numeric, char, cell and struct arrays, zlib-compressed elements, either byte order. Every
/// size is checked against the bytes that are really there before anything is allocated for it (an element count
/// against the bytes its elements need, an inflated size against what deflate can reach from the compressed bytes),
/// nesting is bounded, and any violation is one error naming the file. v7.3 files (HDF5) and sparse or object arrays
/// are refused.
/// </summary>
public sealed class MatFile
{
    public const int HeaderBytes = 128;
    /// <summary>Largest inflated size of one compressed element, and of the whole file (2 GiB less a margin).</summary>
    public const long MaxElementBytes = int.MaxValue - 64;
    /// <summary>Deepest nesting of cells, structs and compressed elements read (MATLAB's own files nest a few levels).</summary>
    public const int MaxDepth = 32;
    /// <summary>Deflate's largest expansion: 258 bytes from one length/distance pair of at least 2 bits (zlib's technical notes).</summary>
    private const long MaxInflateRatio = 1032;
    /// <summary>The fewest bytes one array inside a cell or struct takes: its 8-byte tag.</summary>
    private const int MinElementBytes = 8;
    /// <summary>Most fields one struct may have (names are allocated before any element is read).</summary>
    private const int MaxFields = 1 << 16;
    private const int ArrayFlagComplex = 0x0800;

    private readonly Dictionary<string, MatArray> _variables;

    private MatFile(Dictionary<string, MatArray> variables) => _variables = variables;

    public IReadOnlyCollection<string> Names => _variables.Keys;

    public MatArray Get(string name, string path) =>
        _variables.TryGetValue(name, out var array) ? array
        : throw new ProbeBenchException($"{path} has no MAT variable '{name}' (it has {DataFiles.Quote(string.Join(", ", _variables.Keys))}).");

    public static MatFile Read(string path)
    {
        var status = FileStatus.Of(path);
        if (status.Kind != FileKind.Regular) throw new ProbeBenchException($"The MAT file {path} is {status.Describe()}.");
        if (status.Size > MaxElementBytes) throw new ProbeBenchException($"{path} holds {status.Size} bytes; MAT files above 2 GiB are not read.");
        byte[] bytes;
        try
        {
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
            if (array is not null && !variables.TryAdd(array.Name, array))
                throw new ProbeBenchException($"{path} holds the MAT variable {DataFiles.Quote(array.Name)} twice.");
        }
        return new MatFile(variables);
    }

    private sealed class Reader(string path, bool bigEndian)
    {
        private long _inflatedBytes;

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
                    // MATLAB compresses each variable once; a compressed element inside one is allowed only as deep as arrays nest.
                    if (depth >= MaxDepth) throw Corrupt($"compressed elements nest deeper than {MaxDepth} levels");
                    var inflated = Inflate(payload);
                    var (inner, _) = TopLevel(inflated, depth + 1);
                    return (inner, rest);
                case MatDataType.Matrix:
                    return (Matrix(payload, depth, null), rest);
                default:
                    return (null, rest); // not a variable (MATLAB writes none, but skipping is harmless)
            }
        }

        private ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> compressed)
        {
            var source = MemoryMarshal.TryGetArray(compressed, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(compressed.ToArray(), writable: false);
            using var input = new ZLibStream(source, CompressionMode.Decompress);
            // The inflated element starts with its own tag, which says how long it is: read that, then exactly that.
            var tag = new byte[8];
            if (ReadFully(input, tag) < 8) throw Corrupt("a compressed element inflates to less than a tag");
            var first = U32(tag);
            var size = first >> 16 != 0 ? 0 : U32(tag.AsSpan(4));
            var reachable = Math.Min(MaxElementBytes - 8, (compressed.Length + 1L) * MaxInflateRatio);
            if (size > reachable)
                throw Corrupt($"a compressed element of {compressed.Length} bytes claims {size} inflated bytes (at most {reachable} can come from it)");
            // Nested compressed elements each stay alive while the next is read: one budget for the whole file bounds them all.
            _inflatedBytes += 8 + size;
            if (_inflatedBytes > MaxElementBytes)
                throw Corrupt($"its compressed elements inflate to more than {MaxElementBytes} bytes in all");
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
            catch (Exception e) when (e is InvalidDataException or IOException) // IOException: zlib's own error codes (ZLibException)
            {
                return total;
            }
            return total;
        }

        /// <param name="label">How MATLAB code would name this array inside its parent (<c>x{3}</c>, <c>x(2).field</c>); null at the top level, where its own name is used.</param>
        private MatArray Matrix(ReadOnlyMemory<byte> payload, int depth, string? label)
        {
            if (depth > MaxDepth) throw Corrupt($"arrays nest deeper than {MaxDepth} levels");
            if (payload.IsEmpty) return new MatArray("", MatClass.Double, [0, 0], 0, path, label ?? "");
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
            label ??= name;
            if (!Enum.IsDefined((MatClass)arrayClass))
                throw new ProbeBenchException($"{path}: MAT variable {DataFiles.Quote(label)} is of class {arrayClass} (sparse, object or function); only numeric, char, cell and struct arrays are read.");
            var array = new MatArray(name, (MatClass)arrayClass, dims, (int)count, path, label);
            switch (array.Class)
            {
                case MatClass.Cell:
                    array.Cells = Children(body, count, depth, label, i => $"{label}{{{i + 1}}}");
                    break;
                case MatClass.Struct:
                    var (lengthType, lengthBytes, afterLength) = Element(body);
                    if (lengthType != MatDataType.Int32 || lengthBytes.Length < 4) throw Corrupt($"struct {DataFiles.Quote(label)} has no field-name length");
                    var nameLength = I32(lengthBytes.Span);
                    var (_, namesBytes, fieldsData) = Element(afterLength);
                    if (nameLength <= 0 || namesBytes.Length % nameLength != 0)
                        throw Corrupt($"struct {DataFiles.Quote(label)} has field names of length {nameLength} in {namesBytes.Length} bytes");
                    if (namesBytes.Length / nameLength > MaxFields)
                        throw Corrupt($"struct {DataFiles.Quote(label)} has {namesBytes.Length / nameLength} fields, more than the {MaxFields} read");
                    var fields = Enumerable.Range(0, namesBytes.Length / nameLength)
                        .Select(f => Encoding.ASCII.GetString(namesBytes.Span.Slice(f * nameLength, nameLength)).TrimEnd('\0')).ToArray();
                    if (fields.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                        throw Corrupt($"struct {DataFiles.Quote(label)} has the field {DataFiles.Quote(repeated.Key)} twice");
                    array.FieldNames = fields;
                    array.FieldValues = Children(fieldsData, count * fields.Length, depth, label,
                        i => $"{label}({i / fields.Length + 1}).{fields[i % fields.Length]}");
                    break;
                default:
                    if ((flagWord & ArrayFlagComplex) != 0) throw new ProbeBenchException($"{path}: MAT variable {DataFiles.Quote(label)} is complex; only real arrays are read.");
                    var (dataType, data, _) = Element(body);
                    var size = dataType.ByteSize();
                    if (size == 0) throw Corrupt($"variable {DataFiles.Quote(label)} stores its data as type {(int)dataType}");
                    if (data.Length != count * size) throw Corrupt($"variable {DataFiles.Quote(label)} has {count} elements of {size} bytes but {data.Length} data bytes");
                    array.StoredType = dataType;
                    array.Data = data.ToArray();
                    array.BigEndian = bigEndian;
                    break;
            }
            return array;
        }

        /// <summary>The <paramref name="count"/> arrays of a cell or struct, refused before allocation when the bytes left cannot hold their tags.</summary>
        private MatArray[] Children(ReadOnlyMemory<byte> data, long count, int depth, string parent, Func<int, string> label)
        {
            if (count > data.Length / MinElementBytes)
                throw Corrupt($"{DataFiles.Quote(parent)} claims {count} arrays, but its {data.Length} bytes hold at most {data.Length / MinElementBytes}");
            var children = new MatArray[count];
            for (var i = 0; i < children.Length; i++)
            {
                var (type, payload, rest) = Element(data);
                if (type != MatDataType.Matrix) throw Corrupt($"{DataFiles.Quote(label(i))} is not an array");
                children[i] = Matrix(payload, depth + 1, label(i));
                data = rest;
            }
            return children;
        }
    }
}
