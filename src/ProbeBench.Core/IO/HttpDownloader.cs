using System.Net;
using System.Net.Http.Headers;

namespace ProbeBench.Core.IO;

/// <summary>
/// Downloads a URL to a file: bytes go to <c>&lt;destination&gt;.partial</c> (resumed with an HTTP Range
/// request when one is left from an earlier attempt), the result is checked against the announced length
/// and an optional checksum, and only then renamed to the destination. Failures are one sentence naming
/// the URL and where to put the file by hand.
/// </summary>
public sealed class HttpDownloader
{
    private const int BufferSize = 1 << 20;
    private readonly HttpClient _client;
    private readonly TimeSpan _stallTimeout;
    private readonly long _minimumBytesPerStall;

    /// <summary>Fewer bytes than this within the stall timeout count as a stall: a server dripping a byte now and then never finishes.</summary>
    public const int DefaultMinimumBytesPerStall = 64 << 10;

    /// <param name="client">The client to use (one with no overall timeout: checkpoints take minutes).</param>
    /// <param name="stallTimeout">How long the server may take to answer, or to send the next <paramref name="minimumBytesPerStall"/>
    /// bytes of the body (or the rest, when less is left), before the attempt fails; default 60 s.</param>
    /// <param name="minimumBytesPerStall">Null means <see cref="DefaultMinimumBytesPerStall"/> (about 1 KiB/s at the default timeout).</param>
    public HttpDownloader(HttpClient? client = null, TimeSpan? stallTimeout = null, int? minimumBytesPerStall = null)
    {
        if (minimumBytesPerStall is < 1) throw new ArgumentOutOfRangeException(nameof(minimumBytesPerStall), "At least one byte per stall timeout.");
        _client = client ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _stallTimeout = stallTimeout ?? TimeSpan.FromSeconds(60);
        _minimumBytesPerStall = minimumBytesPerStall ?? DefaultMinimumBytesPerStall;
    }

    public static string PartialPath(string destination) => destination + ".partial";

    /// <summary>Most bytes a download may hold when nothing says how big it is (DINOv3 7B's checkpoint is 27 GB).</summary>
    public const long DefaultMaxBytes = 256L << 30;

    /// <param name="maxBytes">Most bytes the file may have (a server announcing more is refused before anything is written, and
    /// one sending more is cut off); null means <see cref="DefaultMaxBytes"/>.</param>
    public async Task DownloadAsync(Uri url, string destination, ExpectedChecksum? checksum = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default, long? maxBytes = null)
    {
        destination = Path.GetFullPath(destination);
        var folder = Path.GetDirectoryName(destination)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not create the download folder {folder} ({e.Message}).", inner: e);
        }

        var partial = PartialPath(destination);
        var total = await FetchToPartialAsync(url, destination, partial, maxBytes ?? DefaultMaxBytes, progress, cancellationToken).ConfigureAwait(false);

        var length = new FileInfo(partial).Length;
        if (total is { } expectedLength && length != expectedLength)
            throw new ProbeBenchException(
                $"Downloading {url} gave {length} bytes where the server announced {expectedLength}; run again to resume, or fetch it by hand and put it at {destination}.");

        if (checksum is not null)
        {
            var actual = FileHashing.Hash(partial, checksum.Algorithm);
            if (!FileHashing.DigestsEqual(actual, checksum.Hex))
            {
                AtomicFile.TryDelete(partial);
                throw new ProbeBenchException(
                    $"The download of {url} has {checksum.Algorithm.Name} {actual} but {checksum.Hex} was expected; it was deleted, so fetch it again or put a good copy at {destination}.");
            }
        }

        AtomicFile.Commit(partial, destination);
    }

    /// <summary>Fills the partial file; returns the full length when the server announced it.</summary>
    private async Task<long?> FetchToPartialAsync(Uri url, string destination, string partial, long maxBytes,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(destination);
        for (var attempt = 0; ; attempt++)
        {
            var have = PartialLength(partial, destination) ?? 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);

            HttpResponseMessage response;
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(_stallTimeout);
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unreachable(url, destination, $"no answer within {_stallTimeout.TotalSeconds:0.#} s", e);
            }
            catch (HttpRequestException e)
            {
                throw Unreachable(url, destination, Describe(e), e);
            }
            stall.CancelAfter(Timeout.InfiniteTimeSpan); // the body has its own stall timer

            using (response)
            {
                // A range past the end: the partial file is stale (or already complete); start over once.
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0 && attempt == 0)
                {
                    AtomicFile.TryDelete(partial);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                    throw Unreachable(url, destination, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null);

                var resumed = response.StatusCode == HttpStatusCode.PartialContent;
                if (resumed && response.Content.Headers.ContentRange?.From != have)
                    throw Unreachable(url, destination, "the server answered the resume request with a different byte range", null);
                var offset = resumed ? have : 0;
                long? total = resumed
                    ? response.Content.Headers.ContentRange?.Length
                    : response.Content.Headers.ContentLength;
                if (total > maxBytes)
                    throw new ProbeBenchException($"{url} announces {total} bytes, more than the {maxBytes} ProbeBench takes for {fileName}; nothing was written.");

                await CopyBodyAsync(response, url, destination, partial, offset, total, maxBytes, fileName, progress, cancellationToken).ConfigureAwait(false);
                return total;
            }
        }
    }

    private async Task CopyBodyAsync(HttpResponseMessage response, Uri url, string destination, string partial, long offset,
        long? total, long maxBytes, string fileName, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            // Checked again since the request: a fresh start replaces only a regular file, and creates its own (CreateNew opens nothing already there).
            if (PartialLength(partial, destination) is not null && offset == 0) AtomicFile.TryDelete(partial);
            // Unbuffered (the body is copied in 1 MiB pieces anyway), so a full disk fails the write it happens in, never a later flush.
            file = new FileStream(partial, offset > 0 ? FileMode.Append : FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not write the download to {partial} ({e.Message}).", inner: e);
        }

        var overflowed = false;
        await using (file)
        {
            var received = offset;
            progress?.Report(new DownloadProgress(fileName, received, total));
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // The stall timer restarts only once enough bytes have come since it last did, so a trickle cannot hold the attempt open.
            var sinceRestart = 0L;
            var timerStarted = false;
            var needed = 0L;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var buffer = new byte[BufferSize];
                while (true)
                {
                    needed = total is { } length ? Math.Min(_minimumBytesPerStall, Math.Max(1, length - received)) : _minimumBytesPerStall;
                    if (!timerStarted || sinceRestart >= needed)
                    {
                        timerStarted = true;
                        stall.CancelAfter(_stallTimeout);
                        sinceRestart = 0;
                    }
                    var read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    if (received + read > maxBytes)
                    {
                        overflowed = true; // past what the file can be: stopped here, refused below
                        break;
                    }
                    try
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException e)
                    {
                        throw DiskError(url, partial, received, e);
                    }
                    received += read;
                    sinceRestart += read;
                    progress?.Report(new DownloadProgress(fileName, received, total));
                }
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                var seconds = $"{_stallTimeout.TotalSeconds:0.#} s";
                var what = sinceRestart == 0 ? $"no data for {seconds}" : $"only {sinceRestart} bytes in {seconds}, fewer than the {needed} a live download sends";
                throw Unreachable(url, destination, $"{what}, after {received} bytes in all; run again to resume", e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && e is not FileNotFoundException)
            {
                // What arrived stays in the .partial file (written unbuffered), so the next attempt resumes from there.
                throw Unreachable(url, destination, $"the connection broke after {received} bytes: {Describe(e)}", e);
            }
            try
            {
                file.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                throw DiskError(url, partial, received, e);
            }
        }
        if (overflowed)
        {
            AtomicFile.TryDelete(partial);
            throw new ProbeBenchException($"{url} sent more than the {maxBytes} bytes ProbeBench takes for {fileName}; the partial download was deleted.");
        }
    }

    /// <summary>
    /// The bytes an earlier attempt left in <paramref name="partial"/> (null when there is none). Anything there but a regular
    /// file is refused unopened: a link would be truncated or appended through, a FIFO blocks the open, and ProbeBench
    /// never makes either, so it is not ours to remove.
    /// </summary>
    private static long? PartialLength(string partial, string destination)
    {
        var kind = FileKinds.Of(partial, followLinks: false);
        if (kind == FileKind.Missing) return null;
        if (kind == FileKind.Regular) return new FileInfo(partial).Length;
        if (kind == FileKind.Unreachable)
            throw new ProbeBenchException($"The partial download {partial} cannot be reached (permission denied on a folder on the way); put the finished file at {destination} by hand.");
        var what = kind switch
        {
            FileKind.SymbolicLink => "a symbolic link",
            FileKind.Directory => "a folder",
            _ => "a FIFO, device or socket",
        };
        throw new ProbeBenchException(
            $"The partial download {partial} is {what}, not a file ProbeBench wrote; remove it and run again, or put the finished file at {destination} by hand.");
    }

    // The disk, not the connection: a full disk would fail the same way on every retry.
    private static ProbeBenchException DiskError(Uri url, string partial, long received, IOException e) =>
        new($"Could not write the download of {url} to {partial} after {received} bytes ({e.Message}); what arrived is kept, so free space and run again to resume.", inner: e);

    // .NET often puts the cause one level down ("The SSL connection could not be established, see inner exception."):
    // every distinct message on the way down, outermost first.
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var at = e; at is not null && messages.Count < 8; at = at.InnerException)
        {
            var message = at.Message.Replace(", see inner exception", "", StringComparison.OrdinalIgnoreCase).TrimEnd('.', ' ');
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return string.Join(": ", messages);
    }

    private static ProbeBenchException Unreachable(Uri url, string destination, string reason, Exception? inner) =>
        new($"Could not download {url} ({reason}); download it by hand and put it at {destination}.", inner: inner);
}
