using System.Security.Cryptography;
using System.Text.Json;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data.Formats;

/// <summary>
/// Serves a dataset's files in their published layout on the local HTTP server, writes a one-entry catalog for them
/// (same format, folder and archive root as the shipped entry, md5s of the served bytes), and installs it:
/// download → verify → unpack → read-back check.
/// </summary>
internal sealed class CatalogFixture : IDisposable
{
    private readonly LocalHttpServer _server;

    public CatalogFixture(Dictionary<string, byte[]> served)
    {
        Served = served;
        _server = new LocalHttpServer(served);
    }

    public TempDirectory Dir { get; } = new();
    public Dictionary<string, byte[]> Served { get; }
    public string DataRoot => Dir.File("data");
    public int Requests => _server.Requests;

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>The shipped entry <paramref name="shipped"/> with this test's files, splits and class names.</summary>
    public DatasetCatalogEntry Entry(string shipped, Dictionary<string, int> splits, IReadOnlyList<string> classNames, params object[] files)
    {
        var real = DatasetCatalog.LoadDefault().Get(shipped);
        var entry = new
        {
            name = "tiny-" + real.Name, format = real.Format, task = real.Task, recipe = real.Recipe, description = "test", metric = real.Metric, folder = real.Folder,
            archiveRoot = real.ArchiveRoot, imageSize = real.ImageSize, splits, classNames, files,
            notes = "bring them from the test", license = "test",
        };
        var path = Dir.File("catalog.json");
        System.IO.File.WriteAllText(path, JsonSerializer.Serialize(new { datasets = new[] { entry } }));
        return DatasetCatalog.Load(path).Entries[0];
    }

    /// <summary>A file entry served from the local server under its own name.</summary>
    public object File(string name, string unpack = "auto", string into = "") =>
        new { name, url = _server.BaseUrl + name, md5 = Md5(Served[name]), unpack, into };

    /// <summary>A file entry nobody publishes a checksum for: its sha256 is recorded at first download.</summary>
    public object Unpinned(string name, string unpack = "none") =>
        new { name, url = _server.BaseUrl + name, unpack, checksumSource = DatasetFile.FirstDownload };

    public string Url(string name) => _server.BaseUrl + name;

    public async Task<string> InstallAsync(DatasetCatalogEntry entry, Action<string> log) => await new DatasetInstaller(log: log).EnsureInstalledAsync(entry, DataRoot);

    public async Task<string> InstallAsync(DatasetCatalogEntry entry) => await new DatasetInstaller().EnsureInstalledAsync(entry, DataRoot);

    public void Dispose()
    {
        _server.Dispose();
        Dir.Dispose();
    }
}
