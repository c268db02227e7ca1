using System.Security.Cryptography;
using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Weights;

public sealed class CheckpointStoreTests
{
    [Fact]
    public async Task Downloads_once_and_reuses_the_cached_file()
    {
        var content = new byte[50_000];
        new Random(7).NextBytes(content);
        using var server = new HttpDownloaderTestServer(content);
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.File("weights"));

        var first = await store.ResolveAsync(server.Url("x.pth"), "x.pth", ExpectedChecksum.Sha256(Convert.ToHexString(SHA256.HashData(content))));
        var second = await store.ResolveAsync(server.Url("x.pth"), "x.pth");

        Assert.Equal(temp.File("weights", "x.pth"), first);
        Assert.Equal(first, second);
        Assert.Single(server.RangeHeaders);
        Assert.Equal(content, File.ReadAllBytes(first));
    }

    [Fact]
    public async Task Cached_file_with_the_wrong_checksum_is_reported()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        File.WriteAllText(store.PathFor("x.pth"), "not it");
        var error = await Assert.ThrowsAsync<ProbeBenchException>(() =>
            store.ResolveAsync(new Uri("http://127.0.0.1:9/x.pth"), "x.pth", ExpectedChecksum.Sha256(new string('a', 64))));
        Assert.Contains(store.PathFor("x.pth"), error.Message);
    }

    [Fact]
    public async Task Offline_error_names_the_official_url_and_the_cache_path()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var official = BackboneFamilies.GetVariant("dinov2_vits14").Checkpoint;
        var local = official with { Url = new Uri($"http://127.0.0.1:{HttpDownloaderTestServer.FreePort()}/dinov2/{official.FileName}") };

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => store.ResolveAsync(local));

        Assert.Contains(local.Url!.ToString(), error.Message);
        Assert.Contains(temp.File("dinov2_vits14_pretrain.pth"), error.Message);
    }

    [Theory]
    [InlineData("../escape.pth")]
    [InlineData("sub/x.pth")]
    [InlineData("..")]
    [InlineData("")]
    public void File_names_must_stay_inside_the_cache(string fileName)
    {
        using var temp = new TempDirectory();
        Assert.Throws<ProbeBenchException>(() => new CheckpointStore(temp.Path).PathFor(fileName));
    }

    [Fact]
    public void Default_folder_is_under_the_probebench_cache()
    {
        Assert.Equal(Path.Combine(CacheDirectories.Root(), "weights"), new CheckpointStore().Folder);
    }

    [Fact]
    public async Task Name_or_path_prefers_existing_paths_and_rejects_unknown_names()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var file = temp.File("mine.pth");
        File.WriteAllText(file, "x");
        Assert.Equal(file, await BackboneCheckpoints.ResolveAsync(file, store));

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => BackboneCheckpoints.ResolveAsync("dinov3_vitz16", store));
        Assert.Contains("'dinov3_vitz16'", error.Message);
        Assert.Contains("dinov2_vitg14_reg", error.Message);
    }
}
