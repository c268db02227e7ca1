using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace ProbeBench.Core.IO;

/// <summary>
/// Inflating a gzip file does not notice one cut short: the inflater stops where the data stops and reports no error. The
/// file's last 8 bytes (the trailer of its last member: CRC-32 and length of that member's data) say whether all of it
/// came out. This stream inflates the file counting what is read through it; <see cref="Verify"/>, once the consumer has
/// read to the end, compares with the trailer.
/// </summary>
public sealed class GzipCheck(string path, FileStream file) : Crc32ReadStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
{
    /// <summary>Throws unless what was read is everything the file holds, as its trailer records it.</summary>
    public void Verify()
    {
        var (crc, size) = Trailer();
        if (size == (uint)BytesRead && crc == Crc) return;
        // Concatenated members inflate one after another and the trailer is the last one's: its data is the last `size` bytes.
        if (size < BytesRead && crc == CrcOfLast(BytesRead - size)) return;
        throw new ProbeBenchException($"The file {path} is truncated or corrupt: the {BytesRead} bytes it inflates to do not match its gzip trailer.");
    }

    private (uint Crc, uint Size) Trailer()
    {
        Span<byte> trailer = stackalloc byte[8];
        if (file.Length < 18) throw new ProbeBenchException($"The file {path} is too short ({file.Length} bytes) to be gzip-compressed.");
        file.Position = file.Length - 8;
        file.ReadExactly(trailer);
        return (BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
    }

    // A second pass over the inflated data, hashing what follows its first `skip` bytes.
    private uint CrcOfLast(long skip)
    {
        file.Position = 0;
        using var again = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        var crc = new Crc32();
        var buffer = new byte[1 << 16];
        long position = 0;
        for (int read; (read = again.Read(buffer)) > 0; position += read)
        {
            var start = (int)Math.Clamp(skip - position, 0, read);
            crc.Append(buffer.AsSpan(start, read - start));
        }
        return crc.GetCurrentHashAsUInt32();
    }
}
