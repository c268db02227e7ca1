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

        Assert.Contains("no data for 1 s", error.Message);
        Assert.Contains(destination, error.Message);
        Assert.False(File.Exists(destination));
        Assert.Equal(50_000, new FileInfo(HttpDownloader.PartialPath(destination)).Length);

        await downloader.DownloadAsync(server.Url(), destination);
        Assert.Equal(content, File.ReadAllBytes(destination));
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
