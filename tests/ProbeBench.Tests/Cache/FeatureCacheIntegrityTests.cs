using System.Text.Json.Nodes;
using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>Hostile or careless edits of a cache entry are found by verify, list and run alike, and the entry heals.</summary>
public sealed class FeatureCacheIntegrityTests
{
    private static readonly FeatureCacheKeyParts Parts = new("sha", "arch", "recipe", "fp", "train", "all", "cls@last", "fp32", "fp32", "cpu");

    private static (FeatureCache Cache, string Folder, float[] Values) Entry(TempDirectory dir)
    {
        var cache = new FeatureCache(dir.Path);
        var values = Enumerable.Range(0, 12 * 2).Select(i => (float)i).ToArray();
        using var writer = cache.OpenWriter(Parts, 2, 3, 12, chunkRows: 4);
        writer.Append(values, Enumerable.Range(0, 12).Select(i => i % 3).ToArray(), 2);
        writer.Complete();
        return (cache, cache.EntryFolder(Parts.Key()), values);
    }

    private static string ManifestPath(string folder) => Path.Combine(folder, FeatureCacheManifest.FileName);

    private static void EditManifest(string folder, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(ManifestPath(folder)))!.AsObject();
        edit(json);
        File.WriteAllText(ManifestPath(folder), json.ToJsonString());
    }

    private static void AssertCorrupt(FeatureCache cache, string because)
    {
        Assert.Equal(FeatureCacheState.Corrupt, cache.Inspect(Parts.Key()).State);
        var problem = cache.Verify(Parts.Key());
        Assert.True(problem?.Contains(because) == true, problem);
        Assert.Throws<FeatureCacheCorruptException>(() => cache.Read(Parts.Key()));
        Assert.False(cache.TryRead(Parts.Key(), out _, out _));
    }

    [Fact]
    public async Task A_fifo_in_place_of_a_manifest_is_corrupt_without_being_opened()
    {
        using var dir = new TempDirectory();
        var (cache, folder, _) = Entry(dir);
        var manifest = Path.Combine(folder, FeatureCacheManifest.FileName);
        File.Delete(manifest);
        Fifo.Make(manifest);

        var status = await Task.Run(() => cache.Inspect(Parts.Key())).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FeatureCacheState.Corrupt, status.State);
        AssertCorrupt(cache, "is not a regular file");
    }

    [Fact]
    public void A_manifest_with_null_chunks_is_corrupt_for_verify_list_and_read_and_heals_on_rewrite()
    {
        using var dir = new TempDirectory();
        var (cache, folder, values) = Entry(dir);
        EditManifest(folder, m => m["Chunks"] = null);

        AssertCorrupt(cache, "Chunks is missing");
        Assert.Equal(FeatureCacheState.Corrupt, cache.State(Parts.Key()));
        Assert.Equal(FeatureCacheState.Corrupt, Assert.Single(cache.List()).State);
        var verify = CliProcess.Run(["cache", "verify", "--cache-root", dir.Path]);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("CORRUPT", verify.StdOut);
        Assert.DoesNotContain("   at ", verify.All);
        Assert.Equal(0, CliProcess.Run(["cache", "list", "--cache-root", dir.Path]).ExitCode);

        // What a run does with a corrupt entry: a writer starts it over, and it is whole again.
        using (var writer = cache.OpenWriter(Parts, 2, 3, 12, chunkRows: 4))
        {
            Assert.Equal(0, writer.ResumeRow);
            writer.Append(values, Enumerable.Range(0, 12).Select(i => i % 3).ToArray(), 2);
            writer.Complete();
        }
        Assert.Equal(values, cache.Read(Parts.Key()).Values);
    }

    [Theory]
    [InlineData("files")]
    [InlineData("files and records")]
    [InlineData("files and checksums")]
    public void Two_swapped_chunks_are_refused(string how)
    {
        using var dir = new TempDirectory();
        var (cache, folder, _) = Entry(dir);
        var (a, b) = (Path.Combine(folder, "chunk-00000.bin"), Path.Combine(folder, "chunk-00001.bin"));
        var (bytesA, bytesB) = (File.ReadAllBytes(a), File.ReadAllBytes(b));
        File.WriteAllBytes(a, bytesB);
        File.WriteAllBytes(b, bytesA);
        if (how != "files")
            EditManifest(folder, m =>
            {
                var chunks = m["Chunks"]!.AsArray();
                if (how == "files and records")
                {
                    // The whole records change places, numbers and names included, so the list is in order again.
                    var first = chunks[0]!.DeepClone();
                    var second = chunks[1]!.DeepClone();
                    second["Index"] = 0;
                    second["File"] = "chunk-00000.bin";
                    first["Index"] = 1;
                    first["File"] = "chunk-00001.bin";
                    chunks[0] = second;
                    chunks[1] = first;
                }
                else
                {
                    var sha = chunks[0]!["Sha256"]!.GetValue<string>();
                    chunks[0]!["Sha256"] = chunks[1]!["Sha256"]!.GetValue<string>();
                    chunks[1]!["Sha256"] = sha;
                }
            });
        AssertCorrupt(cache, "chunk-0000");
    }

    [Theory]
    [InlineData("ClassCount", 7, "sha256")]
    [InlineData("ClassCount", 0, "ClassCount 0 is not positive")]
    [InlineData("Dim", 3, "bytes")]
    [InlineData("ExpectedRows", 13, "rows")]
    public void An_edited_shape_or_class_count_fails_verify(string field, int value, string because)
    {
        using var dir = new TempDirectory();
        var (cache, folder, _) = Entry(dir);
        EditManifest(folder, m => m[field] = value);
        AssertCorrupt(cache, because);
    }

    [Theory]
    [InlineData("File", "../../../escape.bin")]
    [InlineData("Index", "5")]
    public void A_chunk_record_naming_another_file_or_position_is_refused(string field, string value)
    {
        using var dir = new TempDirectory();
        var (cache, folder, _) = Entry(dir);
        EditManifest(folder, m => m["Chunks"]![1]![field] = field == "Index" ? int.Parse(value) : value);
        AssertCorrupt(cache, "chunk 1");
    }

    [Fact]
    public void A_writer_stopped_between_its_last_chunk_and_completion_resumes_there()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var values = Enumerable.Range(0, 10 * 2).Select(i => (float)i).ToArray();
        var labels = Enumerable.Range(0, 10).Select(i => i % 3).ToArray();
        using (var first = cache.OpenWriter(Parts, 2, 3, 10, chunkRows: 4))
        {
            first.Append(values, labels, 2);
            first.Complete();
        }
        // As if stopped after the short last chunk (4 + 4 + 2 rows) was listed, before the manifest said complete.
        var folder = cache.EntryFolder(Parts.Key());
        EditManifest(folder, m =>
        {
            m["Complete"] = false;
            m.Remove("CompletedUtc");
        });
        var status = cache.Inspect(Parts.Key());
        Assert.Equal((FeatureCacheState.Partial, 10), (status.State, status.ResumeRow));
        using (var writer = cache.OpenWriter(Parts, 2, 3, 10, chunkRows: 4))
        {
            Assert.Equal(10, writer.ResumeRow);
            writer.Complete();
        }
        Assert.Equal(values, cache.Read(Parts.Key()).Values);
    }

    [Fact]
    public void A_second_writer_of_an_entry_another_holds_is_one_line_naming_the_holder()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        using var first = cache.OpenWriter(Parts, 2, 3, 12, chunkRows: 4);
        var e = Assert.Throws<ProbeBenchException>(() => cache.OpenWriter(Parts, 2, 3, 12, chunkRows: 4));
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
        Assert.Contains(Parts.Key(), e.Message);
        Assert.Throws<ProbeBenchException>(() => cache.Remove(Parts.Key()));
        first.Dispose();
        cache.Remove(Parts.Key());
        Assert.Equal(FeatureCacheState.Missing, cache.State(Parts.Key()));
    }
}
