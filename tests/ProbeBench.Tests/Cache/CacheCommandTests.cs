using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

public class CacheCommandTests
{
    [Fact]
    public void List_verify_and_remove_work_on_a_real_cache()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var parts = new FeatureCacheKeyParts("sha", "arch", "recipe", "fp", "train", "all", "cls@last", "fp32", "fp16");
        foreach (var split in new[] { "train", "test" })
        {
            var writer = cache.OpenWriter(parts with { Split = split }, 3, 2, 4, chunkRows: 2);
            writer.Append(new float[12], [0, 1, 0, 1], 3);
            writer.Complete();
        }
        var list = CliProcess.Run(["cache", "list", "--cache-root", dir.Path]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("2 entries", list.StdOut);

        Assert.Equal(0, CliProcess.Run(["cache", "verify", "--cache-root", dir.Path]).ExitCode);
        var chunk = Directory.GetFiles(cache.EntryFolder(parts.Key()), "chunk-00001.bin").Single();
        File.WriteAllBytes(chunk, [1, 2, 3]);
        var verify = CliProcess.Run(["cache", "verify", "--cache-root", dir.Path, "--remove-corrupt"]);
        Assert.Equal(1, verify.ExitCode);
        Assert.Single(cache.List());

        Assert.Equal(2, CliProcess.Run(["cache", "remove", "zzzz", "--cache-root", dir.Path]).ExitCode);
        Assert.Equal(0, CliProcess.Run(["cache", "remove", "all", "--cache-root", dir.Path]).ExitCode);
        Assert.Empty(cache.List());
    }
}
