using System.Buffers.Binary;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;
using static ProbeBench.Tests.Data.ArchiveBuilders;

namespace ProbeBench.Tests.Data;

/// <summary>Issue 9's data-input cases: each builds its hostile input here and ends in one line, with nothing written outside.</summary>
public sealed class HostileDataTests
{
    private static string Write(TempDirectory dir, string name, byte[] bytes)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] TarOf(params TarEntry[] entries)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var e in entries) writer.WriteEntry(e);
        return output.ToArray();
    }

    private static TarEntry Link(TarEntryType type, string name, string target) => new PaxTarEntry(type, name) { LinkName = target };

    private static TarEntry FileEntry(string name, byte[] content) => new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    [Fact]
    public void A_tar_whose_symlinks_chain_out_of_the_root_writes_nothing_outside()
    {
        using var dir = new TempDirectory();
        var archive = Write(dir, "chain.tar", TarOf(
            Link(TarEntryType.SymbolicLink, "q", "."), Link(TarEntryType.SymbolicLink, "r", "q/.."),
            Link(TarEntryType.SymbolicLink, "r2", "r/.."), FileEntry("r3/evil.txt", [1])));
        var target = dir.File("deep", "out");

        var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(archive, target));

        Assert.Contains("refusing", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path, "evil.txt", SearchOption.AllDirectories));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(target), e => new FileInfo(e).LinkTarget is not null);
    }

    [Fact]
    public void A_tar_hardlink_to_a_file_outside_copies_nothing_in()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("secret.txt"), "secret");
        var archive = Write(dir, "hard.tar", TarOf(Link(TarEntryType.HardLink, "data/copy.txt", "../secret.txt")));
        var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(archive, dir.File("out")));
        Assert.Contains("outside", error.Message);
        Assert.False(File.Exists(dir.File("out", "data", "copy.txt")));
    }

    [Fact]
    public void Links_to_files_inside_the_archive_become_copies_so_no_link_lands_on_disk()
    {
        using var dir = new TempDirectory();
        var archive = Write(dir, "ok.tar", TarOf(FileEntry("data/a.bin", [1, 2]), Link(TarEntryType.SymbolicLink, "data/s.bin", "a.bin"), Link(TarEntryType.HardLink, "data/h.bin", "data/a.bin")));
        SafeTarExtractor.Extract(archive, dir.File("out"));
        foreach (var name in new[] { "s.bin", "h.bin" })
        {
            Assert.Equal([1, 2], File.ReadAllBytes(dir.File("out", "data", name)));
            Assert.Null(new FileInfo(dir.File("out", "data", name)).LinkTarget);
        }
    }

    [Fact]
    public void A_tar_gz_that_inflates_past_the_bound_is_refused_while_unpacking_and_writes_no_more_than_the_bound()
    {
        using var dir = new TempDirectory();
        var tar = TarOf(FileEntry("zeros.bin", new byte[32 << 20]));
        var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(tar);
        var archive = Write(dir, "bomb.tar.gz", packed.ToArray()); // 32 MiB of zeros packs to ~32 KiB: ~1000x
        var bound = new FileInfo(archive).Length * SafeZipExtractor.MaxExpansion;

        var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(archive, dir.File("out")));

        Assert.Equal($"The archive {archive} entry 'zeros.bin' takes the unpacked size past {bound} bytes ({SafeZipExtractor.MaxExpansion}× the archive's size: a bomb, or links that copy one file many times?); refusing to unpack it.", error.Message);
        Assert.True(new FileInfo(dir.File("out", "zeros.bin")).Length <= bound);
    }

    [Fact]
    public void Tar_links_that_copy_one_file_many_times_are_charged_against_the_bound()
    {
        using var dir = new TempDirectory();
        var content = new byte[64 << 10];
        new Random(1).NextBytes(content);
        var entries = new List<TarEntry> { FileEntry("data/big.bin", content) };
        for (var i = 0; i < 40; i++)
            entries.Add(i % 2 == 0 ? Link(TarEntryType.HardLink, $"data/h{i}.bin", "data/big.bin") : Link(TarEntryType.SymbolicLink, $"data/s{i}.bin", "big.bin"));
        var tar = TarOf([.. entries]);

        // 1 MiB allows the file and 15 copies of it; the 16th copy is refused.
        var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(new MemoryStream(tar), dir.File("out"), "links.tar", 1 << 20));

        Assert.StartsWith("The archive links.tar entry 'data/s15.bin' takes the unpacked size past 1048576 bytes", error.Message);
        Assert.Equal(16, Directory.GetFiles(dir.File("out", "data")).Length);
    }

    [Fact]
    public void An_empty_or_garbage_archive_is_one_line()
    {
        using var dir = new TempDirectory();
        var empty = Write(dir, "empty.zip", []);
        Assert.StartsWith($"The archive {empty} is corrupt or not a zip file", Assert.Throws<ProbeBenchException>(() => SafeZipExtractor.Extract(empty, dir.File("a"))).Message);
        var garbage = Write(dir, "garbage.tar.gz", [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.StartsWith($"The archive {garbage} is corrupt or not a tar/tar.gz file", Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(garbage, dir.File("b"))).Message);
    }

    [Fact]
    public async Task A_fifo_or_a_huge_file_as_the_recorded_download_checksum_is_one_line()
    {
        using var dir = new TempDirectory();
        var file = new DatasetFile { Name = "data.tar" };
        var recorded = DatasetInstaller.RecordedPathOf(file, dir.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(recorded)!);
        Fifo.Make(recorded);
        var fifo = await Task.Run(() => Assert.Throws<ProbeBenchException>(() => DatasetInstaller.ExpectedOf(file, dir.Path))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal($"The recorded checksum {recorded} is not a regular file (a FIFO, device or socket), so it is not read.", fifo.Message);

        File.Delete(recorded);
        File.WriteAllText(recorded, new string('a', 10_000));
        Assert.Equal($"The recorded checksum {recorded} is 10000 bytes; ProbeBench reads at most 4096 bytes from it.",
            Assert.Throws<ProbeBenchException>(() => DatasetInstaller.ExpectedOf(file, dir.Path)).Message);
    }

    [Fact]
    public void A_split_that_lists_no_image_is_one_line()
    {
        using var dir = new TempDirectory();
        Assert.Equal($"cub200/test in {dir.Path} lists no images.",
            Assert.Throws<ProbeBenchException>(() => ImageListDataset.Create("cub200", "test", dir.Path, [], ["a"])).Message);
    }

    [Fact]
    public void A_missing_archive_is_one_line()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("gone.zip");
        Assert.StartsWith($"Could not unpack {missing} into", Assert.Throws<ProbeBenchException>(() => SafeZipExtractor.Extract(missing, dir.File("out"))).Message);
        Assert.StartsWith($"Could not unpack {dir.File("gone.tar")} into", Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(dir.File("gone.tar"), dir.File("out"))).Message);
    }

    [Fact]
    public void A_zip_symlink_whose_target_is_longer_than_any_path_is_refused_without_reading_it()
    {
        using var dir = new TempDirectory();
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var link = zip.CreateEntry("data/link.txt");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
            using var l = link.Open();
            l.Write(new byte[10_000]);
        }
        var archive = Write(dir, "longlink.zip", output.ToArray());

        var error = Assert.Throws<ProbeBenchException>(() => SafeZipExtractor.Extract(archive, dir.File("out")));

        Assert.Equal($"The archive {archive} entry 'data/link.txt' is a symbolic link whose target is 10000 bytes long (a path is at most 4096); refusing to unpack it.", error.Message);
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("/tmp/probebench-evil.txt")]
    [InlineData("a/../../evil.txt")]
    public void A_zip_entry_escaping_the_root_is_refused(string name)
    {
        using var dir = new TempDirectory();
        var archive = Write(dir, "bad.zip", Zip([("ok.txt", [1]), (name, [2])]));
        var error = Assert.Throws<ProbeBenchException>(() => SafeZipExtractor.Extract(archive, dir.File("deep", "out")));
        Assert.Contains("refusing", error.Message);
        Assert.False(File.Exists(dir.File("evil.txt")));
        Assert.False(File.Exists(dir.File("deep", "evil.txt")));
        Assert.False(File.Exists("/tmp/probebench-evil.txt"));
    }

    [Fact]
    public void A_zip_symlink_to_outside_is_refused_and_one_to_a_file_inside_is_a_copy()
    {
        using var dir = new TempDirectory();
        byte[] WithLink(string target)
        {
            var output = new MemoryStream();
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var s = zip.CreateEntry("data/a.txt").Open()) s.Write("hello"u8);
                var link = zip.CreateEntry("data/link.txt");
                link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
                using var l = link.Open();
                l.Write(System.Text.Encoding.UTF8.GetBytes(target));
            }
            return output.ToArray();
        }
        var bad = Write(dir, "bad.zip", WithLink("/etc/passwd"));
        Assert.Contains("refusing", Assert.Throws<ProbeBenchException>(() => SafeZipExtractor.Extract(bad, dir.File("bad"))).Message);
        var good = Write(dir, "good.zip", WithLink("a.txt"));
        SafeZipExtractor.Extract(good, dir.File("good"));
        Assert.Equal("hello", File.ReadAllText(dir.File("good", "data", "link.txt")));
        Assert.Null(new FileInfo(dir.File("good", "data", "link.txt")).LinkTarget);
    }

    [Fact]
    public void A_zip_bomb_is_refused_from_its_declared_sizes_before_inflating()
    {
        using var dir = new TempDirectory();
        var archive = Write(dir, "bomb.zip", Zip([("zeros.bin", new byte[50 << 20])])); // 50 MB of zeros packs to ~50 KB
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ProbeBenchException>(() => SafeZipExtractor.Extract(archive, dir.File("out")));
        Assert.Contains("zip bomb", error.Message);
        Assert.False(File.Exists(dir.File("out", "zeros.bin")));
    }

    /// <summary>A PNG signature and IHDR chunk (with a valid CRC) claiming <paramref name="side"/>², and no pixel data.</summary>
    private static byte[] PngHeader(int side)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, side);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), side);
        ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
        byte[] chunk = [.. "IHDR"u8.ToArray(), .. ihdr];
        var crc = System.IO.Hashing.Crc32.HashToUInt32(chunk);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, 13);
        var crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        byte[] iend = [0, 0, 0, 0, .. "IEND"u8.ToArray(), 0xAE, 0x42, 0x60, 0x82];
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. length, .. chunk, .. crcBytes, .. iend];
    }

    [Theory]
    [InlineData(40000)]
    [InlineData(65535)]
    public void A_png_header_claiming_a_huge_image_is_refused_before_any_pixel_is_allocated(int side)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "bomb.png", PngHeader(side));
        var error = Assert.Throws<ProbeBenchException>(() => ImageDecoder.DecodeRgb(path));
        Assert.Contains($"{side}×{side}", error.Message);
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void A_fifo_or_a_link_to_dev_zero_named_png_is_an_error_not_a_hang()
    {
        using var dir = new TempDirectory();
        ImageFiles.WriteGrey(dir.File("f", "cls", "ok.png"), 2, 2);
        Process.Start("mkfifo", dir.File("f", "cls", "pipe.png"))!.WaitForExit();
        var clock = Stopwatch.StartNew();
        var fifo = Assert.Throws<ProbeBenchException>(() => ImageFolderDataset.Open(dir.File("f"), null));
        Assert.Contains("pipe.png", fifo.Message);
        Assert.Contains("not a regular file", fifo.Message);
        File.Delete(dir.File("f", "cls", "pipe.png"));
        File.CreateSymbolicLink(dir.File("f", "cls", "zero.png"), "/dev/zero");
        Assert.Contains("zero.png", Assert.Throws<ProbeBenchException>(() => ImageFolderDataset.Open(dir.File("f"), null)).Message);
        Assert.Contains("not a regular file", Assert.Throws<ProbeBenchException>(() => ImageDecoder.DecodeRgb(dir.File("f", "cls", "zero.png"))).Message);
        var skipped = ImageFolderDataset.Open(dir.File("f"), null, new ImageFolderOptions(SkipUndecodable: true));
        Assert.Equal(1, skipped.Count);
        Assert.Contains(dir.File("f", "cls", "zero.png"), skipped.Skipped);
    }

    [Fact]
    public void A_symlink_loop_in_a_class_folder_counts_each_image_once()
    {
        using var dir = new TempDirectory();
        for (var i = 0; i < 3; i++) ImageFiles.WriteGrey(dir.File("f", "cls", "sub", $"{i}.png"), 2, 2);
        ImageFiles.WriteGrey(dir.File("f", "other", "x.png"), 2, 2);
        File.CreateSymbolicLink(dir.File("f", "cls", "sub", "loop"), "..");
        File.CreateSymbolicLink(dir.File("f", "cls", "again"), dir.File("f", "cls", "sub"));
        var data = ImageFolderDataset.Open(dir.File("f"), null);
        Assert.Equal(4, data.Count);
        Assert.Equal(3, Enumerable.Range(0, data.Count).Count(i => data.GetLabel(i) == 0));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void An_unreadable_cifar_batch_or_class_folder_is_one_line()
    {
        using var dir = new TempDirectory();
        var folder = SyntheticCifarWriter.Write(dir.Path, CifarLayout.Cifar10, trainPerFile: 2, testCount: 2, seed: 1);
        File.SetUnixFileMode(Path.Combine(folder, "test_batch.bin"), UnixFileMode.None);
        ImageFiles.WriteGrey(dir.File("f", "cls", "a.png"), 2, 2);
        Directory.CreateDirectory(dir.File("f", "locked"));
        ImageFiles.WriteGrey(dir.File("f", "locked", "b.png"), 2, 2);
        File.SetUnixFileMode(dir.File("f", "locked"), UnixFileMode.None);
        try
        {
            WithoutRootOverrides.Run(() =>
            {
                var batch = Assert.Throws<ProbeBenchException>(() => CifarDataset.Open(CifarLayout.Cifar10, folder, "test"));
                Assert.Contains("test_batch.bin", batch.Message);
                var classFolder = Assert.Throws<ProbeBenchException>(() => ImageFolderDataset.Open(dir.File("f"), null));
                Assert.Contains("locked", classFolder.Message);
            });
        }
        finally
        {
            File.SetUnixFileMode(dir.File("f", "locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task A_download_that_holds_no_batch_files_is_not_marked_complete()
    {
        var archive = TarGz([("cifar-10-batches-bin/readme.html", Text("no batches here"))]);
        using var server = new LocalHttpServer(new() { ["c.tar.gz"] = archive });
        using var dir = new TempDirectory();
        var path = dir.File("catalog.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new { datasets = new[] { new {
            name = "c", format = "cifar10", description = "", url = server.BaseUrl + "c.tar.gz", archive = "c.tar.gz",
            md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(archive)), folder = "cifar-10-batches-bin",
            imageSize = 32, splits = new { train = 10, test = 2 }, classNames = Enumerable.Range(0, 10).Select(i => $"class_{i:D2}").ToArray() } } }));
        var entry = DatasetCatalog.Load(path).Get("c");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new DatasetInstaller().EnsureInstalledAsync(entry, dir.File("data")));

        Assert.Contains("data_batch_1.bin", error.Message);
        Assert.Contains("do not hold its 'train' split, so nothing was installed", error.Message);
        Assert.DoesNotContain(".unpack-", error.Message);
        Assert.DoesNotContain("download the dataset", error.Message);
        Assert.False(DatasetInstaller.IsInstalled(entry, dir.File("data")));
        Assert.False(Directory.Exists(dir.File("data", "cifar-10-batches-bin")));
    }
}
