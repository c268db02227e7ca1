using System.Formats.Tar;
using System.IO.Compression;

namespace ProbeBench.Core.IO;

/// <summary>
/// Unpacks a <c>.tar</c> or <c>.tar.gz</c> archive into a folder, refusing any entry that would land outside it:
/// absolute names, <c>..</c> segments that climb out, and symbolic or hard links whose target is outside.
/// Device nodes and FIFOs are refused too. The caller extracts into a temporary folder and deletes it on failure.
/// </summary>
public static class SafeTarExtractor
{
    public static void Extract(string archivePath, string targetFolder)
    {
        try
        {
            using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var tar = IsGzip(file) ? (Stream)new GZipStream(file, CompressionMode.Decompress) : file;
            Extract(tar, targetFolder, archivePath);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new ProbeBenchException($"The archive {archivePath} is corrupt or not a tar/tar.gz file ({e.Message}).", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not unpack {archivePath} into {targetFolder} ({e.Message}).", inner: e);
        }
    }

    /// <summary>Unpacks an uncompressed tar stream; <paramref name="archiveName"/> names the archive in errors.</summary>
    public static void Extract(Stream tarStream, string targetFolder, string archiveName)
    {
        var root = Path.GetFullPath(targetFolder);
        Directory.CreateDirectory(root);
        using var reader = new TarReader(tarStream);
        while (reader.GetNextEntry() is { } entry)
        {
            var destination = Resolve(root, entry.Name, archiveName, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(destination);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    using (var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None))
                        entry.DataStream?.CopyTo(output);
                    break;
                case TarEntryType.SymbolicLink:
                    {
                        var linkFolder = Path.GetDirectoryName(destination)!;
                        if (Path.IsPathRooted(entry.LinkName))
                            throw Escape(archiveName, entry.Name, $"is a symbolic link to the absolute path {entry.LinkName}");
                        Resolve(root, Path.GetRelativePath(root, Path.Combine(linkFolder, entry.LinkName)), archiveName, entry.Name);
                        Directory.CreateDirectory(linkFolder);
                        File.CreateSymbolicLink(destination, entry.LinkName);
                        break;
                    }
                case TarEntryType.HardLink:
                    {
                        var source = Resolve(root, entry.LinkName, archiveName, entry.Name);
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        File.Copy(source, destination, overwrite: true);
                        break;
                    }
                default:
                    throw new ProbeBenchException($"The archive {archiveName} holds '{entry.Name}' of type {entry.EntryType}; only files, folders and links inside the archive are unpacked.");
            }
        }
    }

    /// <summary>The full path of <paramref name="name"/> under <paramref name="root"/>, or an error when it is outside.</summary>
    private static string Resolve(string root, string name, string archiveName, string entryName)
    {
        if (string.IsNullOrEmpty(name) || Path.IsPathRooted(name) || name.StartsWith('/') || name.StartsWith('\\'))
            throw Escape(archiveName, entryName, "has an absolute or empty path");
        var full = Path.GetFullPath(Path.Combine(root, name));
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (full != root && !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw Escape(archiveName, entryName, "would land outside the target folder");
        return full;
    }

    private static ProbeBenchException Escape(string archiveName, string entryName, string why) =>
        new($"The archive {archiveName} entry '{entryName}' {why}; refusing to unpack it.");

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
