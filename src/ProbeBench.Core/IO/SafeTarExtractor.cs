using System.Formats.Tar;

namespace ProbeBench.Core.IO;

/// <summary>
/// Unpacks a <c>.tar</c> or <c>.tar.gz</c> archive into a folder under the rules of <see cref="ArchivePaths"/>: nothing
/// lands outside it, links become copies of files inside it or are refused, device nodes and FIFOs are refused. The
/// caller extracts into a temporary folder and deletes it on failure. What is written may not exceed
/// <see cref="SafeZipExtractor.MaxExpansion"/> times the archive's size (a .tar.gz of zeros, or links copying one big file).
/// </summary>
public static class SafeTarExtractor
{
    public static void Extract(string archivePath, string targetFolder)
    {
        try
        {
            using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var budget = Math.Max(1, file.Length) * SafeZipExtractor.MaxExpansion;
            if (!IsGzip(file))
            {
                Extract(file, targetFolder, archivePath, budget);
                return;
            }
            using var gzip = new GzipCheck(archivePath, file);
            Extract(gzip, targetFolder, archivePath, budget);
            // The tar ends before its gzip data does (end blocks, padding): what is left is read so the trailer can be checked.
            SafeZipExtractor.CopyAtMost(gzip, Stream.Null, budget,
                () => new ProbeBenchException($"The archive {archivePath} holds more than {budget} bytes after its last entry; refusing it."));
            gzip.Verify();
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

    /// <summary>Unpacks an uncompressed tar stream, writing at most <paramref name="maxBytes"/>; <paramref name="archiveName"/> names the archive in errors.</summary>
    internal static void Extract(Stream tarStream, string targetFolder, string archiveName, long maxBytes)
    {
        var paths = new ArchivePaths(targetFolder, archiveName, maxBytes);
        Directory.CreateDirectory(paths.Root);
        using var reader = new TarReader(tarStream, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            // Metadata for the entries after it (git archive writes one); its name is no path, and nothing is unpacked.
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes) continue;
            var destination = paths.Resolve(entry.Name, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(destination);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    using (var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None))
                        if (entry.DataStream is { } data)
                            paths.Charge(entry.Name, SafeZipExtractor.CopyAtMost(data, output, paths.Remaining, () => paths.OverBudget(entry.Name)));
                    break;
                case TarEntryType.SymbolicLink:
                    paths.MaterialiseSymbolicLink(entry.Name, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    paths.MaterialiseHardLink(entry.Name, entry.LinkName);
                    break;
                default:
                    throw new ProbeBenchException($"The archive {archiveName} holds '{entry.Name}' of type {entry.EntryType}; only files, folders and links to files inside the archive are unpacked.");
            }
        }
    }

    internal static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
