using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProbeBench.Core.Cache;

/// <summary>
/// A chunk's checksum: sha256 over a header naming the entry (key, shape, class count, storage type) and the chunk's
/// position, then the chunk file's bytes. A chunk moved to another position or entry, or a manifest whose shape or class
/// count was edited, fails the check even though every file is intact.
/// </summary>
internal static class ChunkDigest
{
    public static string Of(FeatureCacheManifest manifest, int index, int rows, ReadOnlySpan<byte> bytes)
    {
        using var hash = Begin(manifest, index, rows);
        hash.AppendData(bytes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The hash with the header appended, for a caller that streams the chunk's bytes in pieces.</summary>
    public static IncrementalHash Begin(FeatureCacheManifest manifest, int index, int rows)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\n',
            "probebench-chunk", manifest.FormatVersion, manifest.Key, index.ToString(CultureInfo.InvariantCulture), rows.ToString(CultureInfo.InvariantCulture),
            manifest.Dim.ToString(CultureInfo.InvariantCulture), manifest.ClassCount.ToString(CultureInfo.InvariantCulture), manifest.StorageType,
            manifest.ChunkRows.ToString(CultureInfo.InvariantCulture), "")));
        return hash;
    }
}
