using System.Buffers.Binary;

namespace ProbeBench.Core.Data.Files;

/// <summary>
/// An IDX file of unsigned bytes (MNIST, Fashion-MNIST): magic <c>0x00 0x00 0x08 rank</c>, then <c>rank</c> big-endian
/// int32 dimensions, then the bytes row-major. The dimensions must account for exactly the bytes in the file.
/// </summary>
public sealed record IdxFile(IReadOnlyList<int> Dims, byte[] Data)
{
    public static IdxFile Read(string path, string dataset, int expectedRank)
    {
        var bytes = DataFiles.ReadAll(path, dataset, Array.MaxLength, "an IDX file");
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
            throw new ProbeBenchException($"{path} is not an IDX file of unsigned bytes (magic 00 00 08 xx).");
        var rank = bytes[3];
        if (rank != expectedRank) throw new ProbeBenchException($"{path} holds a rank-{rank} IDX array; a rank-{expectedRank} one was expected.");
        var header = 4 + 4 * rank;
        if (bytes.Length < header) throw new ProbeBenchException($"{path} is cut off inside its IDX header.");
        var dims = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] <= 0) throw new ProbeBenchException($"{path}: IDX dimension {i} is {dims[i]}.");
            count *= dims[i];
            if (count > bytes.Length) break;
        }
        if (count != bytes.Length - header)
            throw new ProbeBenchException($"{path}: the IDX dimensions {string.Join('×', dims)} need {count} bytes but {bytes.Length - header} follow the header.");
        return new IdxFile(dims, bytes[header..]);
    }
}
