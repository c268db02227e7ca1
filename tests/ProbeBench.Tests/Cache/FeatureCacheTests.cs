using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

public class FeatureCacheTests
{
    private static readonly FeatureCacheKeyParts Parts = new("sha-ckpt", "arch", "recipe", "fingerprint", "train", "all", "cls@last", "fp32", "fp16", "cpu");

    private static (float[] Values, int[] Labels) Data(int rows, int dim, int seed = 1)
    {
        var random = new Random(seed);
        return (Enumerable.Range(0, rows * dim).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray(),
                Enumerable.Range(0, rows).Select(i => i % 3).ToArray());
    }

    private static void WriteAll(FeatureCache cache, FeatureCacheKeyParts parts, float[] values, int[] labels, int dim, int chunkRows = 4)
    {
        var writer = cache.OpenWriter(parts, dim, 3, labels.Length, chunkRows);
        writer.Append(values, labels, dim);
        writer.Complete();
    }

    [Fact]
    public void Every_key_part_changes_the_key()
    {
        var variants = new[]
        {
            Parts with { CheckpointSha256 = "x" }, Parts with { Architecture = "x" }, Parts with { Recipe = "x" },
            Parts with { DatasetFingerprint = "x" }, Parts with { Split = "test" }, Parts with { Subset = "rows:10:ab" },
            Parts with { LayerChoice = "cls@last4" }, Parts with { Precision = "fp16" }, Parts with { StorageType = "fp32" },
        };
        Assert.Equal(Parts.Key(), (Parts with { }).Key());
        Assert.Equal(variants.Length + 1, variants.Select(v => v.Key()).Append(Parts.Key()).Distinct().Count());
    }

    [Fact]
    public void Write_then_read_round_trips_within_fp16_precision_and_exactly_in_fp32()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(10, 5);
        Assert.Equal(FeatureCacheState.Missing, cache.State(Parts.Key()));

        WriteAll(cache, Parts, values, labels, 5);
        WriteAll(cache, Parts with { StorageType = "fp32" }, values, labels, 5);

        Assert.Equal(FeatureCacheState.Complete, cache.State(Parts.Key()));
        var half = cache.Read(Parts.Key());
        Assert.Equal((10, 5, 3), (half.Rows, half.Dim, half.ClassCount));
        Assert.Equal(labels, half.Labels);
        Assert.True(values.Zip(half.Values).Max(p => Math.Abs(p.First - p.Second)) <= 2 * 2e-3f);
        Assert.Equal(values, cache.Read((Parts with { StorageType = "fp32" }).Key()).Values);
        Assert.Equal(3, cache.ReadChunks(Parts.Key()).Count()); // 4 + 4 + 2 rows
    }

    [Fact]
    public void A_killed_writer_resumes_after_its_last_whole_chunk_and_ends_identical()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(10, 3);
        WriteAll(cache, Parts with { StorageType = "fp32" }, values, labels, 3);
        var reference = cache.Read((Parts with { StorageType = "fp32" }).Key());

        var parts = Parts with { StorageType = "fp32", Split = "resume" };
        var first = cache.OpenWriter(parts, 3, 3, 10, chunkRows: 4);
        first.Append(values.AsSpan(0, 6 * 3), labels.AsSpan(0, 6), 3);   // one whole chunk, two rows buffered, then "killed"
        first.Dispose();
        var folder = cache.EntryFolder(parts.Key());
        File.WriteAllText(Path.Combine(folder, ".chunk-00001.bin.123.tmp"), "half-written");
        File.WriteAllBytes(Path.Combine(folder, "chunk-00001.bin"), [1, 2, 3]);  // renamed but never listed

        Assert.Equal(FeatureCacheState.Partial, cache.State(parts.Key()));
        var resumed = cache.OpenWriter(parts, 3, 3, 10, chunkRows: 4);
        Assert.Equal(4, resumed.ResumeRow);
        Assert.Equal(["chunk-00000.bin", "manifest.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        resumed.Append(values.AsSpan(4 * 3), labels.AsSpan(4), 3);
        resumed.Complete();

        var result = cache.Read(parts.Key());
        Assert.Equal(reference.Values, result.Values);
        Assert.Equal(reference.Labels, result.Labels);
    }

    [Fact]
    public void A_damaged_chunk_of_a_partial_entry_is_recomputed_from_there()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(12, 2);
        var writer = cache.OpenWriter(Parts, 2, 3, 12, chunkRows: 4);
        writer.Append(values.AsSpan(0, 8 * 2), labels.AsSpan(0, 8), 2);
        writer.Dispose();
        var second = Path.Combine(cache.EntryFolder(Parts.Key()), "chunk-00001.bin");
        var bytes = File.ReadAllBytes(second);
        bytes[3] ^= 0x40;
        File.WriteAllBytes(second, bytes);

        using (var resumed = cache.OpenWriter(Parts, 2, 3, 12, chunkRows: 4)) Assert.Equal(4, resumed.ResumeRow);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("delete")]
    public void Corruption_is_reported_naming_the_chunk_and_the_entry_can_be_rebuilt(string damage)
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(10, 4);
        WriteAll(cache, Parts, values, labels, 4);
        var chunk = Path.Combine(cache.EntryFolder(Parts.Key()), "chunk-00001.bin");
        switch (damage)
        {
            case "flip":
                var bytes = File.ReadAllBytes(chunk);
                bytes[^1] ^= 1;
                File.WriteAllBytes(chunk, bytes);
                break;
            case "truncate":
                using (var stream = File.OpenWrite(chunk)) stream.SetLength(stream.Length - 3);
                break;
            case "delete":
                File.Delete(chunk);
                break;
        }

        var e = Assert.Throws<FeatureCacheCorruptException>(() => cache.Read(Parts.Key()));
        Assert.Contains("chunk-00001.bin", e.Message);
        Assert.Contains("chunk-00001.bin", cache.Verify(Parts.Key()));

        cache.Remove(Parts.Key());
        Assert.Equal(FeatureCacheState.Missing, cache.State(Parts.Key()));
        WriteAll(cache, Parts, values, labels, 4);
        Assert.Null(cache.Verify(Parts.Key()));
    }

    [Fact]
    public void A_cache_root_that_is_a_file_is_named_instead_of_listing_nothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("not-a-folder"), "x");
        Directory.CreateDirectory(dir.File("root"));
        File.WriteAllText(dir.File("root", "features"), "x");

        Assert.Equal($"The cache root {dir.File("not-a-folder")} is not a folder ({dir.File("not-a-folder")} is a file or device); give a folder as --cache-root.",
            Assert.Throws<ProbeBenchException>(() => new FeatureCache(dir.File("not-a-folder")).List()).Message);
        Assert.Contains($"({dir.File("root", "features")} is a file or device)", Assert.Throws<ProbeBenchException>(() => new FeatureCache(dir.File("root")).List()).Message);
        Assert.Empty(new FeatureCache(dir.File("missing")).List());
    }

    [Fact]
    public void List_reports_state_size_and_provenance()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(6, 2);
        WriteAll(cache, Parts, values, labels, 2);
        using (var killed = cache.OpenWriter(Parts with { Split = "test" }, 2, 3, 6)) killed.Append(values.AsSpan(0, 2), labels.AsSpan(0, 1), 2);

        var entries = cache.List();
        Assert.Equal(2, entries.Count);
        var complete = entries.Single(e => e.State == FeatureCacheState.Complete);
        Assert.Equal((6, 2, "fp16"), (complete.Rows, complete.Dim, complete.StorageType));
        Assert.Equal("cls@last", complete.Manifest!.Parts.LayerChoice);
        Assert.True(complete.Bytes > 6 * 2 * 2 + 6 * 4);
        Assert.Equal(FeatureCacheState.Partial, entries.Single(e => e.Key != complete.Key).State);
    }
}
