using System.Formats.Tar;
using System.IO.Compression;

namespace ProbeBench.Tests.Data;

/// <summary>Builds .tar.gz archives in memory for tests.</summary>
internal static class TarArchives
{
    public static byte[] Gzip(params TarEntry[] entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        return output.ToArray();
    }

    public static TarEntry File(string name, byte[] content) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    public static TarEntry Folder(string name) => new PaxTarEntry(TarEntryType.Directory, name);

    public static TarEntry Symlink(string name, string target) => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };

    /// <summary>What git archive writes first: metadata for the entries after it.</summary>
    public static TarEntry GlobalHeader(string comment) =>
        new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = comment });

    /// <summary>The gzip of an uncompressed tar stream, in concatenated members of at most <paramref name="memberBytes"/> input bytes each.</summary>
    public static byte[] Members(byte[] gzipped, int memberBytes)
    {
        using var inflated = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress)) gzip.CopyTo(inflated);
        var tar = inflated.ToArray();
        var output = new MemoryStream();
        for (var start = 0; start < tar.Length; start += memberBytes)
            using (var member = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                member.Write(tar, start, Math.Min(memberBytes, tar.Length - start));
        return output.ToArray();
    }
}
