using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>The read path verifies and decodes chunks in parallel; what it reports must not depend on which chunk finished first.</summary>
public class FeatureCacheReadTests
{
    private static readonly FeatureCacheKeyParts Parts = new("sha-ckpt", "arch", "recipe", "fingerprint", "train", "all", "cls@last", "fp32", "fp32", "cpu");

    private static (FeatureCache Cache, string Key, float[] Values, int[] Labels) Entry(TempDirectory dir, int rows = 40, int dim = 6, int chunkRows = 4)
    {
        var cache = new FeatureCache(dir.Path);
        var random = new Random(3);
        var values = Enumerable.Range(0, rows * dim).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        var writer = cache.OpenWriter(Parts, dim, 3, rows, chunkRows);
        writer.Append(values, labels, dim);
        writer.Complete();
        return (cache, Parts.Key(), values, labels);
    }

    private static void Flip(FeatureCache cache, string key, int chunk)
    {
        var path = Path.Combine(cache.EntryFolder(key), $"chunk-{chunk:D5}.bin");
        var bytes = File.ReadAllBytes(path);
        bytes[5] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void Every_row_of_every_chunk_lands_in_its_place()
    {
        using var dir = new TempDirectory();
        var (cache, key, values, labels) = Entry(dir, rows: 41); // ten whole chunks and a ragged one
        Assert.True(cache.TryRead(key, out var first, out _));
        Assert.Equal(values, first.Values);
        Assert.Equal(labels, first.Labels);
        var again = cache.Read(key); // trusted: decoded without hashing
        Assert.Equal(values, again.Values);
        Assert.Equal(labels, again.Labels);
    }

    [Fact]
    public void With_several_damaged_chunks_the_first_in_order_is_reported()
    {
        using var dir = new TempDirectory();
        var (cache, key, _, _) = Entry(dir);
        Flip(cache, key, 7);
        Flip(cache, key, 2);
        Flip(cache, key, 5);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var status = cache.Inspect(key);
            Assert.Equal(FeatureCacheState.Corrupt, status.State);
            Assert.Contains("chunk-00002.bin", status.Problem);
            var error = Assert.Throws<FeatureCacheCorruptException>(() => new FeatureCache(dir.Path).Read(key));
            Assert.Contains("chunk-00002.bin", error.Message);
        }
    }

    [Fact]
    public void A_file_swapped_for_one_of_another_size_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        var (cache, key, _, _) = Entry(dir);
        File.WriteAllBytes(Path.Combine(cache.EntryFolder(key), "chunk-00003.bin"), new byte[7]);
        var error = Assert.Throws<FeatureCacheCorruptException>(() => cache.Read(key));
        Assert.Contains("chunk-00003.bin holds 7 bytes", error.Message);
    }
}
