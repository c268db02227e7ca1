using System.Security.Cryptography;

namespace ProbeBench.Core.IO;

/// <summary>Streamed file digests (lower-case hex); never reads a whole file into memory.</summary>
public static class FileHashing
{
    private const int BufferSize = 1 << 20;

    public static string Sha256(string path) => Hash(path, HashAlgorithmName.SHA256);

    public static string Md5(string path) => Hash(path, HashAlgorithmName.MD5);

    public static string Hash(string path, HashAlgorithmName algorithm)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            return Hash(stream, algorithm);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read {path} to compute its {algorithm.Name} ({e.Message}).", inner: e);
        }
    }

    public static string Hash(Stream stream, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            hash.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Case-insensitive comparison of two hex digests.</summary>
    public static bool DigestsEqual(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
