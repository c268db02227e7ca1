using System.Net;
using System.Security.Cryptography;
using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

public sealed class HttpDownloaderTests
{
    private static byte[] Content(int length = 300_000)
    {
        var bytes = new byte[length];
        new Random(1234).NextBytes(bytes);
        return bytes;
    }

    private sealed class RecordingProgress : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];
        public void Report(DownloadProgress value) { lock (Reports) Reports.Add(value); }
    }

    [Fact]
    public async Task Downloads_the_whole_file_verifies_sha256_and_reports_progress()
    {
        var content = Content();
        using var server = new HttpDownloaderTestServer(content);
        using var temp = new TempDirectory();
        var destination = temp.File("sub", "file.bin");
        var progress = new RecordingProgress();

        await new HttpDownloader().DownloadAsync(server.Url(), destination,
            ExpectedChecksum.Sha256(Convert.ToHexString(SHA256.HashData(content))), progress);

        Assert.Equal(content, File.ReadAllBytes(destination));
        Assert.False(File.Exists(HttpDownloader.PartialPath(destination)));
        Assert.Equal("", Assert.Single(server.RangeHeaders));
        var last = progress.Reports[^1];
        Assert.Equal(content.Length, last.BytesReceived);
        Assert.Equal(content.Length, last.TotalBytes);
        Assert.Equal("file.bin", last.FileName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_larger_than_it_may_be_is_refused_and_nothing_of_it_is_left(bool chunked)
    {
        // Announced: refused before a byte is written. Unannounced (chunked, no length): cut off at the bound and deleted.
        using var server = new HttpDownloaderTestServer(Content()) { Chunked = chunked };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new HttpDownloader().DownloadAsync(server.Url(), destination, maxBytes: 100_000));
        Assert.Contains(chunked ? "sent more than the 100000 bytes" : "announces 300000 bytes, more than the 100000", error.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(HttpDownloader.PartialPath(destination)));
    }

    [Fact]
    public async Task Resumes_from_a_partial_file_with_a_range_request()
    {
        var content = Content();
        using var server = new HttpDownloaderTestServer(content);
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        File.WriteAllBytes(HttpDownloader.PartialPath(destination), content[..123_456]);

        await new HttpDownloader().DownloadAsync(server.Url(), destination, ExpectedChecksum.Md5(Convert.ToHexString(MD5.HashData(content))));

        Assert.Equal("bytes=123456-", Assert.Single(server.RangeHeaders));
        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    [Fact]
    public async Task Starts_over_when_the_server_ignores_the_range()
    {
        var content = Content();
        using var server = new HttpDownloaderTestServer(content) { IgnoreRange = true };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        File.WriteAllBytes(HttpDownloader.PartialPath(destination), new byte[5000]);

        await new HttpDownloader().DownloadAsync(server.Url(), destination);

        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    [Fact]
    public async Task Starts_over_when_the_partial_file_is_longer_than_the_resource()
    {
        var content = Content(1000);
        using var server = new HttpDownloaderTestServer(content);
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        File.WriteAllBytes(HttpDownloader.PartialPath(destination), new byte[5000]);

        await new HttpDownloader().DownloadAsync(server.Url(), destination);

        Assert.Equal(["bytes=5000-", ""], server.RangeHeaders.ToArray());
        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    [Fact]
    public async Task A_broken_connection_keeps_the_partial_file_and_the_next_attempt_resumes()
    {
        var content = Content();
        using var server = new HttpDownloaderTestServer(content) { DropAfterBytes = 100_000 };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        var downloader = new HttpDownloader();

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => downloader.DownloadAsync(server.Url(), destination));
        Assert.Contains(server.Url().ToString(), error.Message);
        Assert.False(File.Exists(destination));
        var kept = new FileInfo(HttpDownloader.PartialPath(destination)).Length;
        Assert.InRange(kept, 1, content.Length - 1);

        await downloader.DownloadAsync(server.Url(), destination);

        Assert.Equal($"bytes={kept}-", server.RangeHeaders.ToArray()[^1]);
        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    [Fact]
    public async Task Checksum_mismatch_leaves_nothing_that_looks_complete()
    {
        var content = Content();
        using var server = new HttpDownloaderTestServer(content);
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() =>
            new HttpDownloader().DownloadAsync(server.Url(), destination, ExpectedChecksum.Sha256(new string('0', 64))));

        Assert.Contains(server.Url().ToString(), error.Message);
        Assert.Contains(destination, error.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(HttpDownloader.PartialPath(destination)));
    }

    [Fact]
    public async Task Server_down_is_one_sentence_with_the_url_and_where_to_put_the_file()
    {
        var url = new Uri($"http://127.0.0.1:{HttpDownloaderTestServer.FreePort()}/dinov2_vits14_pretrain.pth");
        using var temp = new TempDirectory();
        var destination = temp.File("dinov2_vits14_pretrain.pth");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new HttpDownloader().DownloadAsync(url, destination));

        Assert.Contains(url.ToString(), error.Message);
        Assert.Contains(destination, error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task Http_error_status_is_reported_with_the_url()
    {
        using var server = new HttpDownloaderTestServer(Content(10)) { ForcedStatus = HttpStatusCode.NotFound };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new HttpDownloader().DownloadAsync(server.Url(), destination));

        Assert.Contains("HTTP 404", error.Message);
        Assert.Contains(server.Url().ToString(), error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_stalled_server_fails_the_attempt_and_keeps_what_arrived()
    {
        var content = Content();
        using var server = new HttpDownloaderTestServer(content) { StallAfterBytes = 50_000 };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        var downloader = new HttpDownloader(stallTimeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => downloader.DownloadAsync(server.Url(), destination));

        Assert.Contains("only 50000 bytes in 1 s", error.Message);
        Assert.Contains(destination, error.Message);
        Assert.False(File.Exists(destination));
        Assert.Equal(50_000, new FileInfo(HttpDownloader.PartialPath(destination)).Length);

        await downloader.DownloadAsync(server.Url(), destination);
        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    [Fact]
    public async Task A_server_that_trickles_below_the_floor_is_a_stall_even_though_bytes_keep_coming()
    {
        // One byte every 150 ms never leaves the connection silent for the 1 s timeout, but 7 bytes a second is under the 100 asked for.
        using var server = new HttpDownloaderTestServer(Content(1000)) { DripInterval = TimeSpan.FromMilliseconds(150) };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        var downloader = new HttpDownloader(stallTimeout: TimeSpan.FromSeconds(1), minimumBytesPerStall: 100);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => downloader.DownloadAsync(server.Url(), destination));

        Assert.Matches(@"only \d bytes in 1 s, fewer than the 100", error.Message);
        Assert.Contains(destination, error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.False(File.Exists(destination));
        Assert.InRange(new FileInfo(HttpDownloader.PartialPath(destination)).Length, 1, 20);
    }

    [Fact]
    public async Task A_slow_server_above_the_floor_finishes_and_the_last_bytes_need_only_be_what_is_left()
    {
        // 30 bytes every 100 ms is 300 a second, over the 100 asked for; the last 10 bytes are fewer than 100 and still enough.
        var content = Content(310);
        using var server = new HttpDownloaderTestServer(content) { DripInterval = TimeSpan.FromMilliseconds(100), DripBytes = 30 };
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");

        await new HttpDownloader(stallTimeout: TimeSpan.FromSeconds(1), minimumBytesPerStall: 100).DownloadAsync(server.Url(), destination);

        Assert.Equal(content, File.ReadAllBytes(destination));
    }

    [SkippableFact]
    public async Task A_full_disk_is_named_as_the_disk_and_what_arrived_is_kept_for_the_resume()
    {
        using var disk = FullDisk.TryMount(kilobytes: 64);
        Skip.If(disk is null, "no tmpfs can be mounted here (it needs root)");
        var content = Content();
        using var server = new HttpDownloaderTestServer(content);
        var destination = disk.File("file.bin");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new HttpDownloader().DownloadAsync(server.Url(), destination));

        Assert.StartsWith($"Could not write the download of {server.Url()} to {HttpDownloader.PartialPath(destination)} after ", error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.Contains("free space and run again to resume", error.Message);
        Assert.DoesNotContain("connection", error.Message);
        Assert.False(File.Exists(destination));
        Assert.InRange(new FileInfo(HttpDownloader.PartialPath(destination)).Length, 1, 64 << 10);
    }

    [Fact]
    public async Task A_transport_failure_names_its_cause_not_only_that_the_request_failed()
    {
        // https to a plain-HTTP server: .NET says "The SSL connection could not be established, see inner exception." and the cause is below.
        using var server = new HttpDownloaderTestServer(Content(10));
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        var url = new Uri($"https://127.0.0.1:{server.Port}/file.bin");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new HttpDownloader().DownloadAsync(url, destination));

        var inner = error.InnerException!;
        while (inner.InnerException is not null) inner = inner.InnerException;
        Assert.Contains(inner.Message.TrimEnd('.'), error.Message);
        Assert.DoesNotContain("see inner exception", error.Message);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("dangling link")]
    [InlineData("fifo")]
    [InlineData("folder")]
    public async Task A_partial_download_that_is_not_a_regular_file_is_refused_unopened(string kind)
    {
        using var server = new HttpDownloaderTestServer(Content(1000));
        using var temp = new TempDirectory();
        var destination = temp.File("file.bin");
        var partial = HttpDownloader.PartialPath(destination);
        var outside = temp.File("outside.bin");
        switch (kind)
        {
            case "link":
                File.WriteAllText(outside, "the user's own file");
                File.CreateSymbolicLink(partial, outside);
                break;
            case "dangling link":
                File.CreateSymbolicLink(partial, outside);
                break;
            case "fifo":
                Fifo.Make(partial);
                break;
            default:
                Directory.CreateDirectory(partial);
                break;
        }

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new HttpDownloader().DownloadAsync(server.Url(), destination).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(partial, error.Message);
        Assert.Contains(kind == "fifo" ? "FIFO" : kind == "folder" ? "a folder" : "symbolic link", error.Message);
        Assert.Empty(server.RangeHeaders);
        Assert.False(File.Exists(destination));
        if (kind == "link") Assert.Equal("the user's own file", File.ReadAllText(outside));
        if (kind == "dangling link") Assert.False(File.Exists(outside));
        if (kind.EndsWith("link", StringComparison.Ordinal)) Assert.Equal(outside, new FileInfo(partial).LinkTarget);
    }
}
