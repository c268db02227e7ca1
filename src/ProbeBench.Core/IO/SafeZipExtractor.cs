using System.IO.Compression;

namespace ProbeBench.Core.IO;

/// <summary>
/// Unpacks a <c>.zip</c> archive under the same rules as tar (<see cref="ArchivePaths"/>), and refuses a zip bomb before
/// inflating it: the declared sizes may not add up to more than <see cref="MaxExpansion"/> times the archive's size or
/// the free space of the target's disk, and no entry may inflate past its declared size.
/// </summary>
public static class SafeZipExtractor
{
    /// <summary>Largest allowed ratio of declared unpacked bytes to archive bytes (image datasets are near 1).</summary>
    public const long MaxExpansion = 200;

    private const int UnixSymbolicLink = 0xA000, UnixTypeMask = 0xF000;

    /// <summary>Linux's PATH_MAX: no link target is longer.</summary>
    private const int MaxLinkTargetBytes = 4096;

    public static void Extract(string archivePath, string targetFolder)
    {
        try
        {
            using var zip = ZipFile.OpenRead(archivePath);
            var archiveBytes = Math.Max(1, new FileInfo(archivePath).Length);
            var paths = new ArchivePaths(targetFolder, archivePath, archiveBytes * MaxExpansion);
            CheckDeclaredSizes(zip, archivePath, archiveBytes, paths.Root);
            Directory.CreateDirectory(paths.Root);
            var links = new List<ZipArchiveEntry>();
            foreach (var entry in zip.Entries)
            {
                var destination = paths.Resolve(entry.FullName, entry.FullName);
                if (((entry.ExternalAttributes >> 16) & UnixTypeMask) == UnixSymbolicLink)
                {
                    links.Add(entry);
                    continue;
                }
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
                {
                    Directory.CreateDirectory(destination);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                using var input = new Crc32ReadStream(entry.Open());
                using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None);
                paths.Charge(entry.FullName, CopyAtMost(input, output, entry.Length, () => paths.Refused(entry.FullName, $"inflates past its declared {entry.Length} bytes")));
                // .NET does not check an entry against its recorded CRC-32; a corrupt entry would unpack as if whole.
                if (input.BytesRead != entry.Length || input.Crc != entry.Crc32)
                    throw paths.Refused(entry.FullName, $"is corrupt (it reads as {input.BytesRead} bytes with CRC-32 {input.Crc:x8}; the archive records {entry.Length} bytes, {entry.Crc32:x8})");
            }
            // A zip stores a link's target as its content; links resolve once every file is in place.
            foreach (var link in links)
            {
                if (link.Length > MaxLinkTargetBytes) throw paths.Refused(link.FullName, $"is a symbolic link whose target is {link.Length} bytes long (a path is at most {MaxLinkTargetBytes})");
                using var reader = new StreamReader(link.Open());
                var target = new char[MaxLinkTargetBytes + 1];
                paths.MaterialiseSymbolicLink(link.FullName, new string(target, 0, reader.ReadBlock(target)));
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ProbeBenchException($"The archive {archivePath} is corrupt or not a zip file ({e.Message}).", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not unpack {archivePath} into {targetFolder} ({e.Message}).", inner: e);
        }
    }

    private static void CheckDeclaredSizes(ZipArchive zip, string archivePath, long archiveBytes, string target)
    {
        long declared = 0;
        foreach (var entry in zip.Entries)
        {
            if (entry.Length < 0) throw new ProbeBenchException($"The archive {archivePath} entry '{entry.FullName}' declares a negative size; refusing to unpack it.");
            declared += entry.Length;
        }
        if (declared > archiveBytes * MaxExpansion)
            throw new ProbeBenchException($"The archive {archivePath} declares {declared} unpacked bytes, more than {MaxExpansion}× its {archiveBytes} bytes; refusing to unpack it (a zip bomb?).");
        DiskSpace.Require(target, declared, $"unpacking {archivePath}");
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes and returns how many; more than that is an error from <paramref name="tooLong"/>.</summary>
    internal static long CopyAtMost(Stream input, Stream output, long limit, Func<Exception> tooLong)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
            if (total > limit) throw tooLong();
            output.Write(buffer, 0, read);
        }
        return total;
    }
}
