using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// Makes a catalog dataset present under a data root. When its folder carries the completion marker it is used as is;
/// otherwise every file is made present in <c>&lt;root&gt;/downloads</c> (downloaded, resumable, checksum verified; a
/// file already there, or brought by hand where the URL is dead, is used when its checksum matches), all are unpacked
/// into one temporary folder, the result is opened split by split and must read to the catalog's counts and class names,
/// and only then is it marked complete and renamed into place (marker included, so the folder appears complete or not
/// at all). A failure at any step leaves nothing marked complete; a folder ProbeBench did not make is never replaced.
/// </summary>
public sealed class DatasetInstaller
{
    public const string CompleteMarker = ".probebench-complete";
    public const string DownloadsFolder = "downloads";

    /// <summary>The suffix of the file beside a download that records the sha256 of a file nobody publishes a checksum for.</summary>
    public const string RecordedSuffix = ".sha256";

    private readonly HttpDownloader _downloader;
    private readonly Action<string>? _log;

    /// <param name="log">Where notable events go (a first-download checksum being recorded).</param>
    public DatasetInstaller(HttpDownloader? downloader = null, Action<string>? log = null)
    {
        _downloader = downloader ?? new HttpDownloader();
        _log = log;
    }

    /// <summary>Where the sha256 of a file without a published checksum is recorded (kept when the download itself is deleted).</summary>
    public static string RecordedPathOf(DatasetFile file, string dataRoot) => DownloadPathOf(file, dataRoot) + RecordedSuffix;

    public static string FolderOf(DatasetCatalogEntry entry, string dataRoot) => Path.Combine(Path.GetFullPath(dataRoot), entry.Folder);

    public static string DownloadPathOf(DatasetFile file, string dataRoot) => Path.Combine(Path.GetFullPath(dataRoot), DownloadsFolder, file.Name);

    /// <summary>Where the entry's first file is downloaded to.</summary>
    public static string ArchivePathOf(DatasetCatalogEntry entry, string dataRoot) => DownloadPathOf(entry.Files[0], dataRoot);

    public static bool IsInstalled(DatasetCatalogEntry entry, string dataRoot) => File.Exists(Path.Combine(FolderOf(entry, dataRoot), CompleteMarker));

    /// <summary>Returns the dataset's folder, downloading, verifying and unpacking it first when it is not complete.</summary>
    /// <param name="keepArchive">Keep the files downloaded by this call after unpacking (files brought by hand are always kept).</param>
    public async Task<string> EnsureInstalledAsync(DatasetCatalogEntry entry, string dataRoot,
        IProgress<DownloadProgress>? progress = null, bool keepArchive = false, CancellationToken cancellationToken = default)
    {
        var folder = FolderOf(entry, dataRoot);
        if (IsInstalled(entry, dataRoot)) return folder;
        if (entry.Local)
            throw new ProbeBenchException($"{entry.Name} is never downloaded: {entry.Notes} Then pass its folder as --dataset-path, or put it at {folder}.");
        if (Directory.Exists(folder))
            throw new ProbeBenchException($"{folder} exists but is not a complete ProbeBench install of {entry.Name} (no {CompleteMarker}); move it away, or pass it as --dataset-path to read it as it is.");

        var downloaded = await EnsureFilesAsync(entry, dataRoot, progress, cancellationToken).ConfigureAwait(false);
        var root = Path.GetDirectoryName(folder)!;
        var staging = Path.Combine(root, $".unpack-{entry.Name}-{Guid.NewGuid():N}");
        try
        {
            foreach (var file in entry.Files)
                ArchiveExtractor.Unpack(DownloadPathOf(file, dataRoot), Path.Combine(staging, file.Into), file.Unpack);
            var unpacked = Path.Combine(staging, entry.ArchiveRoot);
            if (!Directory.Exists(unpacked))
                throw new ProbeBenchException($"The files of {entry.Name} do not unpack to the folder '{entry.ArchiveRoot}' the catalog names.");
            Verify(entry, unpacked);
            var marker = new
            {
                entry.Name,
                Files = entry.Files.Select(f => new { f.Name, f.Url, Checksum = ExpectedOf(f, dataRoot)?.ToString() }),
                InstalledUtc = DateTime.UtcNow,
            };
            AtomicFile.WriteAllText(Path.Combine(unpacked, CompleteMarker), JsonSerializer.Serialize(marker));
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            Directory.Move(unpacked, folder);
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
        if (!keepArchive)
            foreach (var path in downloaded) AtomicFile.TryDelete(path);
        return folder;
    }

    private static readonly System.Text.RegularExpressions.Regex ReaderName = new(@"^[\w-]+: ");
    private static readonly System.Text.RegularExpressions.Regex ReaderAdvice = new(@";\s*download the dataset.*$", System.Text.RegularExpressions.RegexOptions.Singleline);

    /// <summary>Checks that an unpacked dataset reads to the catalog's split counts and class names.</summary>
    public static void Verify(DatasetCatalogEntry entry, string folder)
    {
        foreach (var (split, expected) in entry.Splits)
        {
            IImageDataset data;
            try
            {
                data = DatasetFormats.Open(entry, folder, split);
            }
            catch (ProbeBenchException e)
            {
                // The reader names the staging folder (deleted right after) and says how to download: neither helps here.
                var reason = ReaderName.Replace(ReaderAdvice.Replace(e.Message.Replace(folder + Path.DirectorySeparatorChar, ""), ""), "");
                throw new ProbeBenchException(
                    $"The downloaded files of {entry.Name} do not hold its '{split}' split, so nothing was installed: {reason.TrimEnd('.')}.", inner: e);
            }
            if (data.Count != expected)
                throw new ProbeBenchException($"The unpacked {entry.Name} reads {data.Count} images for split '{split}' where the catalog says {expected}; the files are not the published ones.");
            if (entry.ClassNames.Count > 0 && !data.ClassNames.SequenceEqual(entry.ClassNames))
            {
                var at = Enumerable.Range(0, Math.Min(data.ClassNames.Count, entry.ClassNames.Count)).FirstOrDefault(i => data.ClassNames[i] != entry.ClassNames[i], -1);
                throw new ProbeBenchException(at >= 0
                    ? $"The unpacked {entry.Name} names class {at} '{data.ClassNames[at]}' where the catalog says '{entry.ClassNames[at]}'."
                    : $"The unpacked {entry.Name} has {data.ClassNames.Count} classes where the catalog lists {entry.ClassNames.Count}.");
            }
        }
    }

    /// <summary>Makes every file present and verified in the downloads folder; returns those this call downloaded.</summary>
    private async Task<List<string>> EnsureFilesAsync(DatasetCatalogEntry entry, string dataRoot, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var downloaded = new List<string>();
        var missing = new List<string>();
        foreach (var file in entry.Files)
        {
            var path = DownloadPathOf(file, dataRoot);
            var expected = ExpectedOf(file, dataRoot);
            if (File.Exists(path))
            {
                if (expected is null) { Record(file, path, dataRoot); continue; }
                if (FileHashing.DigestsEqual(FileHashing.Hash(path, expected.Algorithm), expected.Hex)) continue;
                if (file.Url is null)
                    throw new ProbeBenchException($"{path} has the wrong {expected.Algorithm.Name} (expected {expected.Hex}); it is not the published {file.Name}. {entry.Notes}");
                AtomicFile.TryDelete(path);
            }
            if (file.Url is null)
            {
                missing.Add($"{file.Name} ({expected})");
                continue;
            }
            if (file.Member is not null)
                await FetchMemberAsync(file, path, expected, progress, cancellationToken).ConfigureAwait(false);
            else
                await _downloader.DownloadAsync(new Uri(file.Url), path, expected, progress, cancellationToken, MaxBytes(file)).ConfigureAwait(false);
            if (expected is null) Record(file, path, dataRoot);
            downloaded.Add(path);
        }
        if (missing.Count > 0)
            throw new ProbeBenchException(
                $"{entry.Name} needs files that cannot be downloaded: put {string.Join(", ", missing)} into {Path.Combine(Path.GetFullPath(dataRoot), DownloadsFolder)}. {entry.Notes}");
        return downloaded;
    }

    /// <summary>
    /// The checksum a file must have: the pinned one, else the sha256 recorded at its first download (null when it has not
    /// been downloaded yet). A recorded file that cannot be read is an error naming it, never a reason to trust anew.
    /// </summary>
    public static ExpectedChecksum? ExpectedOf(DatasetFile file, string dataRoot)
    {
        if (file.Pinned is { } pinned) return pinned;
        var recorded = RecordedPathOf(file, dataRoot);
        if (!File.Exists(recorded)) return null;
        // Size-capped and regular files only: a FIFO or a huge file in its place is one line, never a hang.
        var text = InputFiles.ReadSmallText(recorded, "The recorded checksum", 4096).Trim();
        if (text.Length != 64 || !text.All(Uri.IsHexDigit))
            throw new ProbeBenchException($"{recorded} does not hold a sha256 (64 hex digits); remove it and the download to fetch {file.Name} again.");
        return ExpectedChecksum.Sha256(text);
    }

    // Nobody publishes this file's checksum: its sha256 now is what every later use is checked against.
    // The catalog's size, with room for a republished file that grew a little; none listed: the downloader's own bound.
    private static long? MaxBytes(DatasetFile file) => file.Bytes is { } bytes and > 0 ? bytes + bytes / 10 + (1L << 20) : null;

    private void Record(DatasetFile file, string path, string dataRoot)
    {
        var sha256 = FileHashing.Sha256(path);
        var recorded = RecordedPathOf(file, dataRoot);
        AtomicFile.WriteAllText(recorded, sha256 + "\n");
        _log?.Invoke($"{file.Name} has no published checksum: its sha256 {sha256} was recorded at first download in {recorded} and is checked from now on");
    }

    // The URL serves a container holding the file: fetch it, take the member out, check the member, drop the container.
    private async Task FetchMemberAsync(DatasetFile file, string path, ExpectedChecksum? expected, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var url = new Uri(file.Url!);
        var container = Path.Combine(Path.GetDirectoryName(path)!, "container-" + Path.GetFileName(url.LocalPath));
        await _downloader.DownloadAsync(url, container, null, progress, cancellationToken).ConfigureAwait(false);
        try
        {
            ArchiveExtractor.ExtractMember(container, file.Member!, path);
        }
        finally
        {
            AtomicFile.TryDelete(container);
        }
        if (expected is null) return;
        var actual = FileHashing.Hash(path, expected.Algorithm);
        if (!FileHashing.DigestsEqual(actual, expected.Hex))
        {
            AtomicFile.TryDelete(path);
            throw new ProbeBenchException($"{file.Member} inside {url} has {expected.Algorithm.Name} {actual} but {expected.Hex} was expected; it was deleted.");
        }
    }
}
