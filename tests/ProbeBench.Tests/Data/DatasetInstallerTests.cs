using System.Formats.Tar;
using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class DatasetInstallerTests
{
    /// <summary>A synthetic CIFAR-10 binary archive, laid out as the official one.</summary>
    private static byte[] CifarArchive(params TarEntry[] extra)
    {
        using var source = new TempDirectory();
        var folder = SyntheticCifarWriter.Write(source.Path, CifarLayout.Cifar10, trainPerFile: 4, testCount: 6, seed: 1);
        var entries = Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => TarArchives.File($"{CifarLayout.Cifar10.Folder}/{Path.GetFileName(f)}", File.ReadAllBytes(f)));
        return TarArchives.Gzip([TarArchives.Folder(CifarLayout.Cifar10.Folder + "/"), .. entries, .. extra]);
    }

    private static DatasetCatalog Catalog(TempDirectory dir, string url, string md5)
    {
        var path = dir.File("test-catalog.json");
        var entry = new
        {
            name = "tiny-cifar", format = "cifar10", description = "test", url, archive = "tiny.tar.gz", md5,
            folder = CifarLayout.Cifar10.Folder, imageSize = 32, splits = new { train = 20, test = 6 },
            classNames = Enumerable.Range(0, 10).Select(i => $"class_{i:D2}").ToArray(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(new { datasets = new[] { entry } }));
        return DatasetCatalog.Load(path);
    }

    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));

    [Fact]
    public async Task Downloads_verifies_unpacks_marks_complete_and_then_reuses_without_network()
    {
        var archive = CifarArchive();
        using var server = new LocalHttpServer(new() { ["tiny.tar.gz"] = archive });
        using var dir = new TempDirectory();
        var catalog = Catalog(dir, server.BaseUrl + "tiny.tar.gz", Md5(archive));
        var root = dir.File("data");
        var opener = new DatasetOpener(catalog);

        var train = await opener.OpenAsync("tiny-cifar", "train", root, download: true);
        var test = await opener.OpenAsync("tiny-cifar", "test", root, download: true);

        Assert.Equal(20, train.Count);
        Assert.Equal(6, test.Count);
        Assert.True(DatasetInstaller.IsInstalled(catalog.Get("tiny-cifar"), root));
        Assert.Equal(1, server.Requests);
        Assert.False(File.Exists(DatasetInstaller.ArchivePathOf(catalog.Get("tiny-cifar"), root)));
        Assert.Empty(Directory.GetDirectories(root, ".unpack-*"));
    }

    [Fact]
    public async Task Checksum_mismatch_is_an_error_and_nothing_is_marked_complete()
    {
        var archive = CifarArchive();
        using var server = new LocalHttpServer(new() { ["tiny.tar.gz"] = archive });
        using var dir = new TempDirectory();
        var catalog = Catalog(dir, server.BaseUrl + "tiny.tar.gz", new string('0', 32));
        var root = dir.File("data");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new DatasetInstaller().EnsureInstalledAsync(catalog.Get("tiny-cifar"), root));

        Assert.Contains("MD5", error.Message);
        Assert.False(DatasetInstaller.IsInstalled(catalog.Get("tiny-cifar"), root));
        Assert.False(Directory.Exists(Path.Combine(root, CifarLayout.Cifar10.Folder)));
    }

    [Fact]
    public async Task Archive_with_an_escaping_entry_is_refused_and_nothing_is_marked_complete()
    {
        var archive = CifarArchive(TarArchives.File("../outside.txt", [1]));
        using var server = new LocalHttpServer(new() { ["tiny.tar.gz"] = archive });
        using var dir = new TempDirectory();
        var catalog = Catalog(dir, server.BaseUrl + "tiny.tar.gz", Md5(archive));
        var root = dir.File("data");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new DatasetInstaller().EnsureInstalledAsync(catalog.Get("tiny-cifar"), root));

        Assert.Contains("../outside.txt", error.Message);
        Assert.False(File.Exists(dir.File("outside.txt")));
        Assert.False(DatasetInstaller.IsInstalled(catalog.Get("tiny-cifar"), root));
        Assert.False(Directory.Exists(Path.Combine(root, CifarLayout.Cifar10.Folder)));
        Assert.Empty(Directory.GetDirectories(root, ".unpack-*"));
    }

    [Fact]
    public async Task Offline_is_one_error_with_the_url_and_where_to_put_the_file()
    {
        using var server = new LocalHttpServer(new());
        var url = server.BaseUrl + "tiny.tar.gz";
        server.Dispose();
        using var dir = new TempDirectory();
        var catalog = Catalog(dir, url, new string('0', 32));
        var root = dir.File("data");

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => new DatasetInstaller().EnsureInstalledAsync(catalog.Get("tiny-cifar"), root));

        Assert.Contains(url, error.Message);
        Assert.Contains(DatasetInstaller.ArchivePathOf(catalog.Get("tiny-cifar"), root), error.Message);
        Assert.False(DatasetInstaller.IsInstalled(catalog.Get("tiny-cifar"), root));
    }

    [Fact]
    public async Task An_archive_put_in_place_by_hand_is_used_without_network()
    {
        var archive = CifarArchive();
        using var dir = new TempDirectory();
        var catalog = Catalog(dir, "http://127.0.0.1:9/unreachable.tar.gz", Md5(archive));
        var root = dir.File("data");
        var entry = catalog.Get("tiny-cifar");
        Directory.CreateDirectory(Path.GetDirectoryName(DatasetInstaller.ArchivePathOf(entry, root))!);
        File.WriteAllBytes(DatasetInstaller.ArchivePathOf(entry, root), archive);

        var folder = await new DatasetInstaller().EnsureInstalledAsync(entry, root);

        Assert.True(File.Exists(Path.Combine(folder, "test_batch.bin")));
        Assert.True(DatasetInstaller.IsInstalled(entry, root));
    }

    [Fact]
    public async Task Opener_without_download_names_the_command_and_url_and_opens_image_folders_by_path()
    {
        using var dir = new TempDirectory();
        var catalog = Catalog(dir, "http://127.0.0.1:9/tiny.tar.gz", new string('0', 32));
        var opener = new DatasetOpener(catalog);

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => opener.OpenAsync("tiny-cifar", "train", dir.File("data")));
        Assert.Contains("probebench datasets download tiny-cifar", error.Message);
        Assert.Contains("http://127.0.0.1:9/tiny.tar.gz", error.Message);

        ImageFiles.WriteGrey(dir.File("folder", "train", "a", "1.png"), 2, 2);
        var images = await opener.OpenAsync(dir.File("folder"), "train");
        Assert.IsType<ImageFolderDataset>(images);
        Assert.Equal(1, images.Count);

        await Assert.ThrowsAsync<ProbeBenchException>(() => opener.OpenAsync("no-such-dataset", "train", dir.File("data")));
    }
}
