using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ProbeBench.Tests.Weights;

/// <summary>Emits pickle opcodes by hand, to build torch.save-like checkpoints (honest, corrupt or malicious).</summary>
internal sealed class PickleBuilder
{
    private readonly MemoryStream _bytes = new();

    public PickleBuilder Op(char opcode) => Raw((byte)opcode);

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    public PickleBuilder Proto() => Raw(0x80, 2);

    public PickleBuilder Mark() => Op('(');

    public PickleBuilder Unicode(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Op('X').Raw(length).Raw(utf8);
    }

    public PickleBuilder Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return Op('J').Raw(bytes);
    }

    /// <summary>LONG1: how pickle (protocol 2+) writes every integer beyond 32 bits, little-endian two's complement.</summary>
    public PickleBuilder Long1(long value)
    {
        var bytes = new System.Numerics.BigInteger(value).ToByteArray();
        return Raw(0x8a, (byte)bytes.Length).Raw(bytes);
    }

    public PickleBuilder Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    /// <summary>An integer as pickle writes it: BININT within 32 bits, else LONG1 (or LONG1 always, with <paramref name="long1"/>).</summary>
    public PickleBuilder Integer(long value, bool long1 = false) =>
        !long1 && value is >= int.MinValue and <= int.MaxValue ? Int((int)value) : Long1(value);

    public PickleBuilder IntTuple(long[] values, bool long1 = false)
    {
        Mark();
        foreach (var v in values) Integer(v, long1);
        return Op('t');
    }

    public PickleBuilder IntTuple(params long[] values) => IntTuple(values, long1: false);

    /// <summary>
    /// Pushes what torch.save writes for one tensor: _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).
    /// With <paramref name="long1"/> every integer is written as LONG1.
    /// </summary>
    public PickleBuilder Tensor(string storageKey, long storageElements, long offset, long[] size, long[] stride, string storageType = "FloatStorage",
        bool long1 = false)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Unicode("storage").Global("torch", storageType).Unicode(storageKey).Unicode("cpu").Integer(storageElements, long1).Op('t').Op('Q');
        Integer(offset, long1).IntTuple(size, long1).IntTuple(stride, long1).Raw(0x89);
        Global("collections", "OrderedDict").Op(')').Op('R');
        return Op('t').Op('R');
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Writes a torch.save-shaped zip: archive/data.pkl, archive/byteorder, archive/data/&lt;key&gt; (stored).</summary>
    public static void WriteCheckpoint(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string byteOrder = "little",
        bool includeDataPkl = true, CompressionLevel storageCompression = CompressionLevel.NoCompression)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string name, byte[] content)
        {
            var entry = zip.CreateEntry(name, name.Contains("/data/") ? storageCompression : CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.Write(content);
        }
        if (includeDataPkl) Add("archive/data.pkl", pickle);
        Add("archive/byteorder", Encoding.ASCII.GetBytes(byteOrder));
        foreach (var (key, bytes) in storages) Add($"archive/data/{key}", bytes);
        Add("archive/version", "3\n"u8.ToArray());
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }
}
