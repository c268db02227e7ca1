using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

public class FeatureCacheStatusTests
{
    private static readonly FeatureCacheKeyParts Parts = new("sha-ckpt", "arch", "recipe", "fingerprint", "train", "all", "cls@last", "fp32", "fp32", "cpu");

    private static (float[] Values, int[] Labels) Data(int rows, int dim)
    {
        var random = new Random(7);
        return (Enumerable.Range(0, rows * dim).Select(_ => (float)random.NextDouble()).ToArray(), Enumerable.Range(0, rows).Select(i => i % 2).ToArray());
    }

    private static FeatureCache CompleteEntry(TempDirectory dir, int rows = 10, int dim = 3)
    {
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(rows, dim);
        var writer = cache.OpenWriter(Parts, dim, 2, rows, chunkRows: 4);
        writer.Append(values, labels, dim);
        writer.Complete();
        return cache;
    }

    [Fact]
    public void A_missing_entry_is_missing_and_TryRead_says_so()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        Assert.False(cache.TryRead(Parts.Key(), out var features, out var status));
        Assert.Null(features);
        Assert.Equal(new FeatureCacheStatus(Parts.Key(), FeatureCacheState.Missing, 0, 0, null), status);
    }

    [Fact]
    public void State_inspect_and_list_agree_on_every_kind_of_entry()
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir);
        var complete = Parts.Key();
        var withoutManifest = (Parts with { Split = "test" }).Key();
        Directory.CreateDirectory(cache.EntryFolder(withoutManifest)); // a writer that died before its first save
        var unreadable = (Parts with { Split = "val" }).Key();
        Directory.CreateDirectory(cache.EntryFolder(unreadable));
        File.WriteAllText(Path.Combine(cache.EntryFolder(unreadable), FeatureCacheManifest.FileName), "{ not json");
        var missing = (Parts with { Split = "other" }).Key();

        foreach (var (key, state) in new[] { (complete, FeatureCacheState.Complete), (withoutManifest, FeatureCacheState.Partial),
                     (unreadable, FeatureCacheState.Corrupt), (missing, FeatureCacheState.Missing) })
        {
            Assert.Equal(state, cache.State(key));
            Assert.Equal(state, cache.Inspect(key).State);
            if (state != FeatureCacheState.Missing) Assert.Equal(state, cache.List().Single(e => e.Key == key).State);
        }
    }

    [Fact]
    public void An_entry_verified_once_is_not_hashed_again_while_its_files_are_untouched()
    {
        using var dir = new TempDirectory();
        CompleteEntry(dir);
        var cache = new FeatureCache(dir.Path);
        Assert.Equal(FeatureCacheState.Complete, cache.Inspect(Parts.Key()).State);

        // Flip a byte but keep the file's size and time: only a second hash would notice.
        var chunk = Directory.EnumerateFiles(cache.EntryFolder(Parts.Key()), "chunk-*").Order().First();
        var time = File.GetLastWriteTimeUtc(chunk);
        var bytes = File.ReadAllBytes(chunk);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(chunk, bytes);
        File.SetLastWriteTimeUtc(chunk, time);
        cache.Read(Parts.Key()); // the run that inspected it reads without hashing again

        // Another run (another cache instance) verifies again and finds the damage; so does a touched file.
        Assert.Throws<FeatureCacheCorruptException>(() => new FeatureCache(dir.Path).Read(Parts.Key()));
        File.SetLastWriteTimeUtc(chunk, time.AddSeconds(1));
        Assert.Throws<FeatureCacheCorruptException>(() => cache.Read(Parts.Key()));
    }

    [Fact]
    public void A_complete_entry_reads_through_TryRead()
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir);
        Assert.True(cache.TryRead(Parts.Key(), out var features, out var status));
        Assert.Equal((FeatureCacheState.Complete, 10, null), (status.State, status.ResumeRow, status.Problem));
        Assert.Equal(Data(10, 3).Values, features.Values);
    }

    [Fact]
    public void A_partial_entry_reports_the_row_a_writer_resumes_from()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(10, 3);
        using (var killed = cache.OpenWriter(Parts, 3, 2, 10, chunkRows: 4)) killed.Append(values.AsSpan(0, 9 * 3), labels.AsSpan(0, 9), 3); // 2 chunks + 1 buffered row, then "killed"

        var status = cache.Inspect(Parts.Key());
        Assert.Equal((FeatureCacheState.Partial, 8, 10, null), (status.State, status.ResumeRow, status.ExpectedRows, status.Problem));
        Assert.False(cache.TryRead(Parts.Key(), out _, out _));
        using (var resumed = cache.OpenWriter(Parts, 3, 2, 10, chunkRows: 4)) Assert.Equal(8, resumed.ResumeRow);
    }

    [Fact]
    public void A_partial_entry_with_a_damaged_chunk_resumes_before_it_and_names_it()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(10, 3);
        using (var killed = cache.OpenWriter(Parts, 3, 2, 10, chunkRows: 4)) killed.Append(values.AsSpan(0, 8 * 3), labels.AsSpan(0, 8), 3);
        File.Delete(Path.Combine(cache.EntryFolder(Parts.Key()), "chunk-00001.bin"));

        var status = cache.Inspect(Parts.Key());
        Assert.Equal((FeatureCacheState.Partial, 4), (status.State, status.ResumeRow));
        Assert.Contains("chunk-00001.bin", status.Problem);
    }

    [Theory]
    [InlineData("flip", "chunk-00002.bin")]
    [InlineData("truncate", "chunk-00000.bin")]
    [InlineData("manifest", "manifest.json")]
    public void A_damaged_complete_entry_is_corrupt_naming_the_file_and_rebuilds(string damage, string file)
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir);
        var path = Path.Combine(cache.EntryFolder(Parts.Key()), file);
        switch (damage)
        {
            case "flip":
                var bytes = File.ReadAllBytes(path);
                bytes[0] ^= 0x80;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                using (var stream = File.OpenWrite(path)) stream.SetLength(stream.Length - 1);
                break;
            case "manifest":
                File.WriteAllText(path, "{ \"Key\": ");
                break;
        }

        Assert.False(cache.TryRead(Parts.Key(), out var features, out var status));
        Assert.Null(features);
        Assert.Equal((FeatureCacheState.Corrupt, 0), (status.State, status.ResumeRow));
        Assert.Contains(file, status.Problem);
        // State and List do not hash chunks; they flag only what they read, the manifest.
        Assert.Equal(damage == "manifest" ? FeatureCacheState.Corrupt : FeatureCacheState.Complete, cache.State(Parts.Key()));
        Assert.Equal(damage == "manifest" ? FeatureCacheState.Corrupt : FeatureCacheState.Complete, cache.List().Single().State);

        // The caller's rebuild: a writer opened on a corrupt entry starts over and ends complete.
        cache.Remove(Parts.Key());
        var (values, labels) = Data(10, 3);
        var writer = cache.OpenWriter(Parts, 3, 2, 10, chunkRows: 4);
        Assert.Equal(0, writer.ResumeRow);
        writer.Append(values, labels, 3);
        writer.Complete();
        Assert.True(cache.TryRead(Parts.Key(), out features, out _));
        Assert.Equal(values, features.Values);
    }

    [Fact]
    public void A_writer_opened_on_an_unreadable_manifest_starts_over()
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir);
        File.WriteAllText(Path.Combine(cache.EntryFolder(Parts.Key()), FeatureCacheManifest.FileName), "not json");
        Assert.Equal(FeatureCacheState.Corrupt, cache.State(Parts.Key()));

        var writer = cache.OpenWriter(Parts, 3, 2, 10, chunkRows: 4);
        Assert.Equal(0, writer.ResumeRow);
        Assert.Equal([FeatureCacheManifest.FileName], Directory.GetFiles(cache.EntryFolder(Parts.Key())).Select(Path.GetFileName));
        var (values, labels) = Data(10, 3);
        writer.Append(values, labels, 3);
        writer.Complete();
        Assert.Equal(FeatureCacheState.Complete, cache.Inspect(Parts.Key()).State);
    }

    [Fact]
    public void Find_matches_key_prefixes()
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir);
        Assert.Equal(Parts.Key(), cache.Find(Parts.Key()[..6].ToUpperInvariant()).Single().Key);
        Assert.Empty(cache.Find(Parts.Key()[..6] + "zz"));
        Assert.Empty(cache.Find(""));
    }
}
