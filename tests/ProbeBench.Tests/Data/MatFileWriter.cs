using System.IO.Compression;
using System.Text;

namespace ProbeBench.Tests.Data;

/// <summary>A value to write into a test MAT file.</summary>
internal abstract record MatValue;

/// <summary>A numeric array (column-major values), stored as double or, with <see cref="StoreAs"/>, as uint8 (MATLAB stores small integers so).</summary>
internal sealed record MatNumbers(int[] Dims, double[] Values, MatStorage StoreAs = MatStorage.Double) : MatValue
{
    public static MatNumbers Row(params double[] values) => new([1, values.Length], values);
}

internal enum MatStorage { Double, UInt8, UInt16 }

internal sealed record MatText(string Text) : MatValue;

internal sealed record MatCell(MatValue[] Items) : MatValue;

/// <summary>A 1×n struct array: each element gives one value per field.</summary>
internal sealed record MatStruct(string[] Fields, MatValue[][] Elements) : MatValue;

/// <summary>Writes MATLAB level-5 MAT files (little-endian, optionally zlib-compressed per variable) as MATLAB lays them out.</summary>
internal static class MatFileWriter
{
    public static byte[] Write(bool compress, params (string Name, MatValue Value)[] variables) =>
        Raw(variables.Select(v => compress ? Compressed(Matrix(v.Name, v.Value)) : Matrix(v.Name, v.Value)).ToArray());

    /// <summary>A MAT file holding <paramref name="elements"/> (whole data elements, tags included) after the header.</summary>
    public static byte[] Raw(params byte[][] elements)
    {
        var output = new MemoryStream();
        var header = Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, written by ProbeBench tests".PadRight(116));
        output.Write(header);
        output.Write(new byte[8]);
        output.Write([0x00, 0x01, (byte)'I', (byte)'M']);
        foreach (var element in elements) output.Write(element);
        return output.ToArray();
    }

    /// <summary><paramref name="element"/> zlib-compressed in a miCOMPRESSED element, as MATLAB's -v7 writes each variable.</summary>
    public static byte[] Compressed(byte[] element)
    {
        var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(element);
        return [.. Tag(15, (int)packed.Length), .. packed.ToArray()];
    }

    /// <summary>A miMATRIX element of class <paramref name="arrayClass"/> whose header claims <paramref name="dims"/>, followed by <paramref name="body"/> as given.</summary>
    public static byte[] Matrix(int arrayClass, int[] dims, string name, byte[] body)
    {
        byte[] content = [.. Element(6, [.. BitConverter.GetBytes(arrayClass), .. new byte[4]]), .. Element(5, dims.SelectMany(BitConverter.GetBytes).ToArray()),
            .. Element(1, Encoding.ASCII.GetBytes(name)), .. body];
        return [.. Tag(14, content.Length), .. content];
    }

    public static byte[] Matrix(string name, MatValue value)
    {
        var body = new MemoryStream();
        var (cls, dims) = value switch
        {
            MatNumbers n => (n.StoreAs == MatStorage.UInt8 && n.Dims.Length > 2 ? 9 : 6, n.Dims),
            MatText t => (4, new[] { 1, t.Text.Length }),
            MatCell c => (1, new[] { 1, c.Items.Length }),
            MatStruct s => (2, new[] { 1, s.Elements.Length }),
            _ => throw new ArgumentException(),
        };
        body.Write(Element(6, [.. BitConverter.GetBytes(cls), .. new byte[4]]));
        body.Write(Element(5, dims.SelectMany(BitConverter.GetBytes).ToArray()));
        body.Write(Element(1, Encoding.ASCII.GetBytes(name)));
        switch (value)
        {
            case MatNumbers n:
                body.Write(n.StoreAs switch
                {
                    MatStorage.UInt8 => Element(2, n.Values.Select(v => (byte)v).ToArray()),
                    MatStorage.UInt16 => Element(4, n.Values.SelectMany(v => BitConverter.GetBytes((ushort)v)).ToArray()),
                    _ => Element(9, n.Values.SelectMany(BitConverter.GetBytes).ToArray()),
                });
                break;
            case MatText t:
                body.Write(Element(4, t.Text.SelectMany(ch => BitConverter.GetBytes((ushort)ch)).ToArray()));
                break;
            case MatCell c:
                foreach (var item in c.Items) body.Write(Matrix("", item));
                break;
            case MatStruct s:
                var length = s.Fields.Max(f => f.Length) + 1;
                body.Write(Element(5, BitConverter.GetBytes(length)));
                body.Write(Element(1, s.Fields.SelectMany(f => Encoding.ASCII.GetBytes(f.PadRight(length, '\0'))).ToArray()));
                foreach (var element in s.Elements)
                    foreach (var field in element) body.Write(Matrix("", field));
                break;
        }
        return [.. Tag(14, (int)body.Length), .. body.ToArray()];
    }

    public static byte[] Element(int type, byte[] data)
    {
        var padded = (data.Length + 7) / 8 * 8;
        return [.. Tag(type, data.Length), .. data, .. new byte[padded - data.Length]];
    }

    public static byte[] Tag(int type, int size) => [.. BitConverter.GetBytes(type), .. BitConverter.GetBytes(size)];
}
