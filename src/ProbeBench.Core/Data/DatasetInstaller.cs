using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// Makes a catalog dataset present under a data root: when its folder carries the completion marker it is used as
/// is; otherwise the archive is downloaded to <c>&lt;root&gt;/downloads</c> (resumable, checksum verified; an archive
/// already there is reused when its checksum matches), unpacked into a temporary folder, renamed into place, and
/// only then marked complete. A failure at any step leaves nothing marked complete.
/// </summary>
public sealed class DatasetInstaller
{
    public const string CompleteMarker = ".probebench-complete";
    public const string DownloadsFolder = "downloads";

    private readonly HttpDownloader _downloader;

    public DatasetInstaller(HttpDownloader? downloader = null) => _downloader = downloader ?? new HttpDownloader();

    public static string FolderOf(DatasetCatalogEntry entry, string dataRoot) => Path.Combine(Path.GetFullPath(dataRoot), entry.Folder);

    public static string ArchivePathOf(DatasetCatalogEntry entry, string dataRoot) => Path.Combine(Path.GetFullPath(dataRoot), DownloadsFolder, entry.Archive);

    public static bool IsInstalled(DatasetCatalogEntry entry, string dataRoot) => File.Exists(Path.Combine(FolderOf(entry, dataRoot), CompleteMarker));

    /// <summary>Returns the dataset's folder, downloading and unpacking it first when it is not complete.</summary>
    /// <param name="keepArchive">Keep the downloaded archive after unpacking (default: delete it to save space).</param>
    public async Task<string> EnsureInstalledAsync(DatasetCatalogEntry entry, string dataRoot,
        IProgress<DownloadProgress>? progress = null, bool keepArchive = false, CancellationToken cancellationToken = default)
    {
        var folder = FolderOf(entry, dataRoot);
        if (IsInstalled(entry, dataRoot)) return folder;

        var archive = ArchivePathOf(entry, dataRoot);
        var checksum = DatasetCatalog.ChecksumOf(entry);
        if (!File.Exists(archive) || !FileHashing.DigestsEqual(FileHashing.Hash(archive, checksum.Algorithm), checksum.Hex))
        {
            AtomicFile.TryDelete(archive);
            await _downloader.DownloadAsync(new Uri(entry.Url), archive, checksum, progress, cancellationToken).ConfigureAwait(false);
        }

        var root = Path.GetDirectoryName(folder)!;
        var staging = Path.Combine(root, $".unpack-{entry.Name}-{Guid.NewGuid():N}");
        try
        {
            SafeTarExtractor.Extract(archive, staging);
            var unpacked = Path.Combine(staging, entry.Folder);
            if (!Directory.Exists(unpacked))
                throw new ProbeBenchException($"The archive {archive} for {entry.Name} does not contain the folder '{entry.Folder}' the catalog names.");
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true); // an earlier, unmarked (so incomplete) copy
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            Directory.Move(unpacked, folder);
            var marker = new { entry.Name, entry.Url, Checksum = checksum.ToString(), InstalledUtc = DateTime.UtcNow };
            AtomicFile.WriteAllText(Path.Combine(folder, CompleteMarker), JsonSerializer.Serialize(marker));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not move the unpacked {entry.Name} into {folder} ({e.Message}).", inner: e);
        }
        finally
        {
            if (Directory.Exists(staging))
                try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        if (!keepArchive) AtomicFile.TryDelete(archive);
        return folder;
    }
}
