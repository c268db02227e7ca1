using System.Buffers.Binary;
using System.Text;

namespace ProbeBench.Core.Data.Files;

/// <summary>MATLAB array classes (mxClassID) that <see cref="MatFile"/> reads.</summary>
public enum MatClass { Cell = 1, Struct = 2, Char = 4, Double = 6, Single = 7, Int8 = 8, UInt8 = 9, Int16 = 10, UInt16 = 11, Int32 = 12, UInt32 = 13, Int64 = 14, UInt64 = 15 }

/// <summary>
/// One MATLAB array: its class, dimensions (column-major, as MATLAB stores it) and content. Numeric data keeps the bytes
/// as stored (MATLAB writes integer-valued doubles in the smallest type that holds them), read through <see cref="Number"/>;
/// cells hold arrays, structs hold one array per field and element. Errors name the file and the array as MATLAB would
/// (<c>annotations(3).class</c>, <c>class_names{2}</c>).
/// </summary>
public sealed class MatArray
{
    /// <param name="count">The product of <paramref name="dims"/>, which the reader has bounded.</param>
    /// <param name="label">The array as MATLAB code would name it, for errors.</param>
    internal MatArray(string name, MatClass arrayClass, int[] dims, int count, string path, string label) =>
        (Name, Class, Dims, Count, _path, _label) = (name, arrayClass, dims, count, path, label);

    private readonly string _path;
    private readonly string _label;

    public string Name { get; }
    public MatClass Class { get; }
    public IReadOnlyList<int> Dims { get; }
    public int Count { get; }

    internal MatDataType StoredType { get; set; }
    internal byte[] Data { get; set; } = [];
    internal bool BigEndian { get; set; }
    internal MatArray[] Cells { get; set; } = [];
    internal string[] FieldNames { get; set; } = [];
    /// <summary>Struct content: element-major, then field (element i, field f at i * fields + f).</summary>
    internal MatArray[] FieldValues { get; set; } = [];

    public bool IsNumeric => Class >= MatClass.Double;

    /// <summary>Element <paramref name="index"/> (column-major) of a numeric array as a double.</summary>
    public double Number(int index)
    {
        if (!IsNumeric) throw Problem($"is a {Class} array, not numbers");
        return Stored(index);
    }

    private double Stored(int index)
    {
        if ((uint)index >= (uint)Count) throw Problem($"has {Count} elements; element {index + 1} was asked for");
        var size = StoredType.ByteSize();
        var bytes = Data.AsSpan(index * size, size);
        return StoredType switch
        {
            MatDataType.Int8 => (sbyte)bytes[0],
            MatDataType.UInt8 or MatDataType.Utf8 => bytes[0],
            MatDataType.Int16 => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes),
            MatDataType.UInt16 or MatDataType.Utf16 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            MatDataType.Int32 => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes),
            MatDataType.UInt32 or MatDataType.Utf32 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            MatDataType.Int64 => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes),
            MatDataType.UInt64 => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            MatDataType.Single => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes),
            MatDataType.Double => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            _ => throw Problem($"stores its numbers as {StoredType}"),
        };
    }

    /// <summary>The one element of a 1×1 array as a whole number in [<paramref name="min"/>, <paramref name="max"/>] (a label, an id).</summary>
    public int Integer(int min, int max)
    {
        if (Count != 1) throw Problem($"has {Count} elements where one whole number in {min}..{max} belongs");
        return Integers(min, max)[0];
    }

    /// <summary>Every element as a whole number in [<paramref name="min"/>, <paramref name="max"/>] (labels, ids).</summary>
    public int[] Integers(int min, int max)
    {
        var values = new int[Count];
        for (var i = 0; i < values.Length; i++)
        {
            var v = Number(i);
            if (v != Math.Floor(v) || v < min || v > max) throw Problem($"has {v} at element {i + 1}, not a whole number in {min}..{max}");
            values[i] = (int)v;
        }
        return values;
    }

    /// <summary>The raw bytes of a uint8 array stored as uint8 (image stacks), column-major.</summary>
    public ReadOnlySpan<byte> UInt8Bytes()
    {
        if (Class != MatClass.UInt8 || StoredType != MatDataType.UInt8) throw Problem($"is {Class} stored as {StoredType}, not uint8");
        return Data;
    }

    /// <summary>The text of a char array (one row).</summary>
    public string Text()
    {
        if (Class != MatClass.Char) throw Problem($"is a {Class} array, not text");
        var chars = new StringBuilder(Count);
        for (var i = 0; i < Count; i++)
        {
            chars.Append((char)(int)Stored(i));
        }
        return chars.ToString();
    }

    /// <summary>Element <paramref name="index"/> of a cell array.</summary>
    public MatArray Cell(int index)
    {
        if (Class != MatClass.Cell) throw Problem($"is a {Class} array, not a cell array");
        return (uint)index < (uint)Cells.Length ? Cells[index] : throw Problem($"has {Cells.Length} cells; cell {index + 1} was asked for");
    }

    /// <summary>Field <paramref name="field"/> of struct element <paramref name="index"/>.</summary>
    public MatArray Field(int index, string field)
    {
        if (Class != MatClass.Struct) throw Problem($"is a {Class} array, not a struct");
        var f = Array.IndexOf(FieldNames, field);
        if (f < 0) throw Problem($"has no field '{field}' (it has {DataFiles.Quote(string.Join(", ", FieldNames))})");
        if ((uint)index >= (uint)Count) throw Problem($"has {Count} elements; element {index + 1} was asked for");
        return FieldValues[index * FieldNames.Length + f];
    }

    public IReadOnlyList<string> Fields => FieldNames;

    internal ProbeBenchException Problem(string what) => new($"{_path}: MAT variable {DataFiles.Quote(_label)} {what}.");
}
