using System.Text.Json;
using System.Text.Json.Nodes;
using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Kernel;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>
/// An entry may hold more values than one array (the patch grids of a big split, read in batches): only a whole read of
/// one is refused, with one line naming it; listing, verifying, resuming and batch reads work on it.
/// </summary>
public sealed class FeatureCacheLargeEntryTests
{
    private static readonly FeatureCacheKeyParts Parts = new("sha-ckpt", "arch", "recipe", "fingerprint", "train", "all", "patch@12", "fp32", "fp32", "cpu");

    // 1e9 rows of 3 values: 3e9 values, more than Array.MaxLength and more than an int counts.
    private const int HugeRows = 1_000_000_000;

    private static (float[] Values, int[] Labels) Data(int rows, int dim) =>
        (Enumerable.Range(0, rows * dim).Select(i => i * 0.25f).ToArray(), Enumerable.Range(0, rows).Select(i => i % 2).ToArray());

    private static FeatureCache CompleteEntry(TempDirectory dir, int rows, int dim, int chunkRows)
    {
        var cache = new FeatureCache(dir.Path);
        var (values, labels) = Data(rows, dim);
        var writer = cache.OpenWriter(Parts, dim, 2, rows, chunkRows);
        writer.Append(values, labels, dim);
        writer.Complete();
        return cache;
    }

    private static void EditManifest(FeatureCache cache, Action<JsonObject> edit)
    {
        var path = Path.Combine(cache.EntryFolder(Parts.Key()), FeatureCacheManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    [Fact]
    public void A_partial_entry_larger_than_one_array_is_listed_verified_and_resumed()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var key = Parts.Key();
        var (values, labels) = Data(8, 3);
        using (var writer = cache.OpenWriter(Parts, 3, 2, HugeRows, chunkRows: 4)) writer.Append(values, labels, 3);

        Assert.Equal(FeatureCacheState.Partial, cache.State(key));
        Assert.Equal(new FeatureCacheStatus(key, FeatureCacheState.Partial, 8, HugeRows, null), cache.Inspect(key));
        var listed = Assert.Single(cache.List());
        Assert.Equal((FeatureCacheState.Partial, 8, HugeRows), (listed.State, listed.Rows, listed.ExpectedRows));
        Assert.Equal($"incomplete: 8 of {HugeRows} rows (resumable)", cache.Verify(key));
        using (var resumed = cache.OpenWriter(Parts, 3, 2, HugeRows, chunkRows: 4)) Assert.Equal(8, resumed.ResumeRow);

        var list = CliProcess.Run(["cache", "list", "--cache-root", dir.Path]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("8/1,000,000,000", list.StdOut);
        var verify = CliProcess.Run(["cache", "verify", "--cache-root", dir.Path]);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains($"resumes at row 8 of {HugeRows}", verify.StdOut);
        Assert.Contains("1 entries checked, 0 corrupt", verify.StdOut);
    }

    [Fact]
    public void A_whole_read_of_a_complete_entry_larger_than_one_array_is_one_line_and_no_rebuild()
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir, rows: 8, dim: 3, chunkRows: 4);
        var key = Parts.Key();
        // The manifest now claims 10 chunks of 1e8 rows: consistent, so it is listed as complete; the read is refused before
        // any chunk is opened (so their sizes do not matter).
        EditManifest(cache, m =>
        {
            m["ChunkRows"] = 100_000_000;
            m["ExpectedRows"] = HugeRows;
            var chunks = new JsonArray();
            for (var i = 0; i < 10; i++)
                chunks.Add(new JsonObject
                {
                    ["Index"] = i, ["Rows"] = 100_000_000, ["File"] = $"chunk-{i:D5}.bin",
                    ["Bytes"] = 100_000_000L * 3 * 4 + 100_000_000L * 4, ["Sha256"] = new string('0', 64),
                });
            m["Chunks"] = chunks;
        });

        Assert.Equal(FeatureCacheState.Complete, cache.State(key));
        var listed = Assert.Single(cache.List());
        Assert.Equal((FeatureCacheState.Complete, HugeRows, 3), (listed.State, listed.Rows, listed.Dim));

        var read = Assert.Throws<ProbeBenchException>(() => cache.Read(key));
        Assert.Contains(key, read.Message);
        Assert.Contains("cannot be read whole, only in batches", read.Message);
        Assert.DoesNotContain('\n', read.Message);
        // Not "corrupt": a caller that rebuilds corrupt entries must not throw away an intact one.
        var tried = Assert.Throws<ProbeBenchException>(() => cache.TryRead(key, out _, out _));
        Assert.Equal(read.Message, tried.Message);
    }

    [Fact]
    public void At_the_limit_one_value_over_refuses_the_whole_read_while_verify_chunks_and_batches_still_work()
    {
        using var dir = new TempDirectory();
        CompleteEntry(dir, rows: 10, dim: 3, chunkRows: 4);
        var key = Parts.Key();
        var (values, labels) = Data(10, 3);

        var exact = new FeatureCache(dir.Path) { MaxReadValues = 30 };
        Assert.Equal(values, exact.Read(key).Values);

        var small = new FeatureCache(dir.Path) { MaxReadValues = 29 };
        var error = Assert.Throws<ProbeBenchException>(() => small.Read(key));
        Assert.IsNotType<FeatureCacheCorruptException>(error);
        Assert.Contains(key, error.Message);
        Assert.Null(small.Verify(key));
        Assert.Equal(FeatureCacheState.Complete, small.Inspect(key).State);
        Assert.Equal(FeatureCacheState.Complete, Assert.Single(small.List()).State);
        Assert.Equal(values, small.ReadChunks(key).SelectMany(c => c.Values).ToArray());
        Assert.Equal(labels, small.ReadChunks(key).SelectMany(c => c.Labels).ToArray());
        using var reader = FeatureRowReader.Open(small, key);
        var rows = new float[10 * 3];
        reader.Read(Enumerable.Range(0, 10).ToArray(), rows);
        Assert.Equal(values, rows);
    }

    [Fact]
    public void A_manifest_whose_chunks_cannot_be_one_buffer_is_corrupt_without_overflowing()
    {
        using var dir = new TempDirectory();
        var cache = CompleteEntry(dir, rows: 8, dim: 3, chunkRows: 4);
        foreach (var (chunkRows, dim) in new[] { (1_000_000_000, 3), (int.MaxValue, int.MaxValue) })
        {
            EditManifest(cache, m => (m["ChunkRows"], m["Dim"]) = (chunkRows, dim));
            var status = cache.Inspect(Parts.Key());
            Assert.Equal(FeatureCacheState.Corrupt, status.State);
            Assert.Contains($"a chunk of {chunkRows} rows of {dim} values is larger than one buffer holds", status.Problem);
        }
    }

    [Fact]
    public void A_writer_whose_chunk_cannot_be_one_buffer_is_refused_before_anything_is_allocated()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        // One row of 6e8 fp32 values is 2.4 GB: more than one buffer.
        var error = Assert.Throws<ProbeBenchException>(() => cache.OpenWriter(Parts, 600_000_000, 2, 10, chunkRows: 1));
        Assert.Contains(Parts.Key(), error.Message);
        Assert.Contains("larger than one buffer holds", error.Message);
        Assert.Equal(FeatureCacheState.Missing, cache.State(Parts.Key()));
    }

    [Fact]
    public void Shards_that_together_exceed_one_array_are_refused_in_one_line()
    {
        var shard = new FeatureSet(new float[2 * 3], 2, 3, [0, 1], 2);
        Assert.Equal(12, UnitRunner.Join([shard, shard], maxValues: 12).Values.Length);
        var error = Assert.Throws<ProbeBenchException>(() => UnitRunner.Join([shard, shard], maxValues: 11));
        Assert.Contains("The 2 shards of one split hold 12 feature values together", error.Message);
    }
}
