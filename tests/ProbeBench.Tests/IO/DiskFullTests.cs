using ProbeBench.Core.Cache;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

public sealed class DiskFullTests
{
    [SkippableFact]
    public void A_cache_writer_on_a_full_disk_fails_with_an_error_recognised_as_a_full_disk_and_leaves_a_partial_entry()
    {
        using var disk = FullDisk.TryMount(kilobytes: 64);
        Skip.If(disk is null, "no tmpfs can be mounted here (it needs root)");
        var cache = new FeatureCache(disk.File("cache"));
        var parts = new FeatureCacheKeyParts("ckpt", "arch", "recipe", "data", "train", "all", "cls@0", "fp32", "fp16", "cpu");
        const int dim = 64, rows = 256;
        using var writer = cache.OpenWriter(parts, dim, classCount: 2, expectedRows: 100 * rows, chunkRows: rows);
        var values = Enumerable.Range(0, rows * dim).Select(i => i % 7 * 0.5f).ToArray();
        var labels = new int[rows];

        // 32 KiB of fp16 per append: the third cannot fit in 64 KiB.
        var error = Record.Exception(() => { for (var i = 0; i < 100; i++) writer.Append(values, labels, dim); });

        Assert.True(DiskFull.Is(Assert.IsAssignableFrom<IOException>(error)), $"{error!.GetType().Name} HResult {error.HResult}: {error.Message}");
        Assert.Equal(FeatureCacheState.Partial, cache.State(parts.Key()));
    }

    [Fact]
    public void Other_io_errors_are_not_a_full_disk()
    {
        Assert.False(DiskFull.Is(new IOException("Input/output error", 5)));
        Assert.False(DiskFull.Is(new UnauthorizedAccessException("denied")));
    }
}
