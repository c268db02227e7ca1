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
}
