using ProbeBench.Core.IO;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Weights;

/// <summary>
/// The folder where downloaded checkpoints live (default <c>$PROBEBENCH_CACHE/weights</c>, else
/// <c>$XDG_CACHE_HOME/probebench/weights</c>, else <c>~/.cache/probebench/weights</c>; an explicit folder wins).
/// A file is downloaded once (resumable, renamed into place only when complete) and reused afterwards.
/// </summary>
public sealed class CheckpointStore
{
    private readonly HttpDownloader _downloader;

    public CheckpointStore(string? folder = null, HttpDownloader? downloader = null)
    {
        Folder = Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? DefaultFolder() : folder);
        _downloader = downloader ?? new HttpDownloader();
    }

    public string Folder { get; }

    public static string DefaultFolder() => CacheDirectories.Sub("weights");

    public string PathFor(string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || fileName != Path.GetFileName(fileName) || fileName is "." or "..")
            throw new ProbeBenchException($"'{fileName}' is not a plain file name for the checkpoint cache {Folder}.");
        return Path.Combine(Folder, fileName);
    }

    /// <summary>The local copy of <paramref name="url"/>, downloading it first when the cache lacks it.</summary>
    public async Task<string> ResolveAsync(Uri url, string fileName, ExpectedChecksum? checksum = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var path = PathFor(fileName);
        if (File.Exists(path))
        {
            if (checksum is not null && !FileHashing.DigestsEqual(FileHashing.Hash(path, checksum.Algorithm), checksum.Hex))
                throw new ProbeBenchException($"The cached checkpoint {path} does not have the expected {checksum}; delete it to download it again.");
            return path;
        }
        await _downloader.DownloadAsync(url, path, checksum, progress, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>
    /// The local copy of an official checkpoint: downloaded when the publisher serves it; for a file the user must bring
    /// (no URL), the cached copy, else an error naming the file, where to get it and where to put it.
    /// </summary>
    public Task<string> ResolveAsync(OfficialCheckpoint checkpoint, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (checkpoint.Url is { } url)
            return ResolveAsync(url, checkpoint.FileName, checkpoint.Sha256 is { } sha ? ExpectedChecksum.Sha256(sha) : null, progress, cancellationToken);
        var path = PathFor(checkpoint.FileName);
        if (File.Exists(path)) return Task.FromResult(path);
        throw new ProbeBenchException(
            $"{checkpoint.Name} needs the file {checkpoint.FileName}, which cannot be downloaded automatically ({checkpoint.ObtainFrom ?? "its publisher serves no public URL"}); " +
            $"put it at {path}, or give its path as the weights.");
    }
}
