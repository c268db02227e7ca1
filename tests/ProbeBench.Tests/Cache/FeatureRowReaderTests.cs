using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>
/// Chosen rows of a cache entry read without loading it: values as written (fp16 to its rounding, fp32 exactly), chunks
/// verified when first touched, damage reported naming the chunk, offsets computed in 64 bits.
/// </summary>
public sealed class FeatureRowReaderTests
{
    private static (FeatureCache Cache, string Key, float[] Values) Entry(TempDirectory dir, string storage, int rows, int dim, int chunkRows)
    {
        var cache = new FeatureCache(dir.File("cache"));
        var parts = new FeatureCacheKeyParts("sha", "arch", "recipe", "fingerprint", "train", "all", "patch@0", "fp32", storage, "cpu");
        var random = new Random(3);
        var values = Enumerable.Range(0, rows * dim).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        var writer = cache.OpenWriter(parts, dim, classCount: 1, rows, chunkRows);
        writer.Append(values, new int[rows], dim);
        writer.Complete();
        return (cache, parts.Key(), values);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("fp16")]
    public void Rows_in_any_order_read_back_as_written(string storage)
    {
        using var dir = new TempDirectory();
        var (cache, key, values) = Entry(dir, storage, rows: 11, dim: 7, chunkRows: 4);
        using var reader = FeatureRowReader.Open(cache, key);
        int[] rows = [10, 0, 5, 5, 3];
        var read = new float[rows.Length * 7];
        reader.Read(rows, read);
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < 7; j++)
            {
                var expected = values[rows[i] * 7 + j];
                // fp16 keeps 11 significant bits: |x| < 4 rounds to within 2^-9 (half a unit in the last place at 2..4).
                var tolerance = storage == "fp16" ? Math.Pow(2, -9) : 0;
                Assert.True(Math.Abs(read[i * 7 + j] - expected) <= tolerance, $"row {rows[i]}, value {j}: {read[i * 7 + j]} vs {expected}");
            }
        Assert.Equal((11, 7), (reader.Rows, reader.Dim));
    }

    [Fact]
    public void A_chunk_altered_after_writing_is_reported_naming_the_file_when_its_rows_are_read()
    {
        using var dir = new TempDirectory();
        var (cache, key, _) = Entry(dir, "fp16", rows: 8, dim: 5, chunkRows: 4);
        var chunk = Path.Combine(cache.EntryFolder(key), "chunk-00001.bin");
        var bytes = File.ReadAllBytes(chunk);
        bytes[3] ^= 0x40;
        File.WriteAllBytes(chunk, bytes);
        using var reader = FeatureRowReader.Open(cache, key);
        var row = new float[5];
        reader.Read([1], row); // chunk 0 is intact
        var error = Assert.Throws<FeatureCacheCorruptException>(() => reader.Read([6], row));
        Assert.Contains("chunk-00001.bin", error.Message);
        Assert.Contains("sha256", error.Message);
    }

    // Flips a byte of the entry's second chunk but keeps the file's size and time: only a hash would notice.
    private static void AlterKeepingStamp(FeatureCache cache, string key)
    {
        var chunk = Path.Combine(cache.EntryFolder(key), "chunk-00001.bin");
        var time = File.GetLastWriteTimeUtc(chunk);
        var bytes = File.ReadAllBytes(chunk);
        bytes[3] ^= 0x40;
        File.WriteAllBytes(chunk, bytes);
        File.SetLastWriteTimeUtc(chunk, time);
    }

    [Fact]
    public void Rows_of_an_entry_the_run_already_verified_are_read_without_hashing_it_again()
    {
        using var dir = new TempDirectory();
        var (written, key, _) = Entry(dir, "fp16", rows: 8, dim: 5, chunkRows: 4);
        var cache = new FeatureCache(written.Root);
        Assert.Equal(FeatureCacheState.Complete, cache.Inspect(key).State);
        AlterKeepingStamp(cache, key);

        using (var reader = FeatureRowReader.Open(cache, key)) reader.Read([6], new float[5]);

        using var another = FeatureRowReader.Open(new FeatureCache(written.Root), key);
        Assert.Contains("sha256", Assert.Throws<FeatureCacheCorruptException>(() => another.Read([6], new float[5])).Message);
    }

    [Fact]
    public void A_reader_that_hashed_every_chunk_spares_the_next_reader_of_the_same_run()
    {
        using var dir = new TempDirectory();
        var (written, key, _) = Entry(dir, "fp32", rows: 8, dim: 5, chunkRows: 4);
        var cache = new FeatureCache(written.Root);
        using (var first = FeatureRowReader.Open(cache, key)) first.Read([1], new float[5]); // one chunk of two: not yet verified
        using (var second = FeatureRowReader.Open(cache, key)) second.Read([1, 6], new float[10]);
        AlterKeepingStamp(cache, key);

        using (var third = FeatureRowReader.Open(cache, key)) third.Read([6], new float[5]);
        var touched = Path.Combine(cache.EntryFolder(key), "chunk-00001.bin");
        File.SetLastWriteTimeUtc(touched, File.GetLastWriteTimeUtc(touched).AddSeconds(1));
        using var fourth = FeatureRowReader.Open(cache, key);
        Assert.Contains("sha256", Assert.Throws<FeatureCacheCorruptException>(() => fourth.Read([6], new float[5])).Message);
    }

    [Fact]
    public void A_chunk_replaced_after_the_run_verified_it_is_hashed_again_when_the_reader_opens_it()
    {
        using var dir = new TempDirectory();
        var (written, key, _) = Entry(dir, "fp16", rows: 8, dim: 5, chunkRows: 4);
        var cache = new FeatureCache(written.Root);
        Assert.Equal(FeatureCacheState.Complete, cache.Inspect(key).State);
        using var reader = FeatureRowReader.Open(cache, key); // opened while every file is as verified

        var chunk = Path.Combine(cache.EntryFolder(key), "chunk-00001.bin");
        var bytes = File.ReadAllBytes(chunk);
        bytes[3] ^= 0x40;
        File.WriteAllBytes(chunk, bytes);
        File.SetLastWriteTimeUtc(chunk, File.GetLastWriteTimeUtc(chunk).AddSeconds(5));

        reader.Read([1], new float[5]);
        Assert.Contains("sha256", Assert.Throws<FeatureCacheCorruptException>(() => reader.Read([6], new float[5])).Message);
    }

    [Fact]
    public async Task A_fifo_in_place_of_a_chunk_is_corrupt_and_never_opened()
    {
        using var dir = new TempDirectory();
        var (cache, key, _) = Entry(dir, "fp16", rows: 8, dim: 5, chunkRows: 4);
        var chunk = Path.Combine(cache.EntryFolder(key), "chunk-00001.bin");
        File.Delete(chunk);
        Fifo.Make(chunk);
        var expected = $"Feature-cache chunk {chunk} is not a regular file (a FIFO, device or socket), so it is not read.";

        var run = Task.Run(() =>
        {
            var fresh = new FeatureCache(cache.Root);
            Assert.Equal((FeatureCacheState.Corrupt, expected), (fresh.Inspect(key).State, fresh.Inspect(key).Problem));
            Assert.Equal(expected, Assert.Throws<FeatureCacheCorruptException>(() => fresh.Read(key)).Message);
            using var reader = FeatureRowReader.Open(fresh, key);
            Assert.Equal(expected, Assert.Throws<FeatureCacheCorruptException>(() => reader.Read([6], new float[5])).Message);
        });
        await run.WaitAsync(TimeSpan.FromSeconds(60)); // a read that blocks on the FIFO fails here instead of hanging
    }

    [Fact]
    public void A_truncated_chunk_is_reported_and_an_incomplete_entry_is_not_opened()
    {
        using var dir = new TempDirectory();
        var (cache, key, _) = Entry(dir, "fp32", rows: 6, dim: 3, chunkRows: 3);
        var chunk = Path.Combine(cache.EntryFolder(key), "chunk-00000.bin");
        File.WriteAllBytes(chunk, File.ReadAllBytes(chunk)[..10]);
        using (var reader = FeatureRowReader.Open(cache, key))
            Assert.Contains("truncated", Assert.Throws<FeatureCacheCorruptException>(() => reader.Read([0], new float[3])).Message);

        var parts = new FeatureCacheKeyParts("sha", "arch", "recipe", "fingerprint", "test", "all", "patch@0", "fp32", "fp16", "cpu");
        var writer = cache.OpenWriter(parts, 3, 1, expectedRows: 4);
        writer.Append(new float[6], new int[2], 3);
        Assert.Throws<FeatureCacheCorruptException>(() => FeatureRowReader.Open(cache, parts.Key()));
    }

    [Fact]
    public void Offsets_are_computed_in_64_bits()
    {
        // ViT-g lin. 1 at 480 × 640: 1 + 34 · 45 tokens of 1536 channels, fp16; row 1000 of a chunk starts past 2^31.
        const int dim = (1 + 34 * 45) * 1536;
        Assert.Equal(1000L * dim * 2, FeatureRowReader.OffsetInChunk(1000, dim, 2));
        Assert.True(FeatureRowReader.OffsetInChunk(1000, dim, 2) > int.MaxValue);
    }
}
