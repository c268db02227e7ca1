using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

public class FeatureCacheWriterTests
{
    private static readonly FeatureCacheKeyParts Parts = new("sha-ckpt", "arch", "recipe", "fingerprint", "train", "all", "cls@last", "fp32", "fp16", "cpu");

    [Fact]
    public void A_writer_never_writes_or_cleans_up_through_a_linked_entry_folder_and_deletes_only_its_own_files()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.File("cache"));
        var key = Parts.Key();
        var victim = Directory.CreateDirectory(dir.File("victim", "entry")).FullName;
        File.WriteAllText(Path.Combine(victim, "user-notes.txt"), "keep");
        File.WriteAllText(Path.Combine(victim, "chunk-00000.bin"), "keep too");
        Directory.CreateDirectory(Path.GetDirectoryName(cache.EntryFolder(key))!);
        Directory.CreateSymbolicLink(cache.EntryFolder(key), victim);

        var error = Assert.Throws<ProbeBenchException>(() => cache.OpenWriter(Parts, 2, 1, 4, chunkRows: 2));
        Assert.Contains($"{cache.EntryFolder(key)} is a link", error.Message);
        Assert.Equal(["chunk-00000.bin", "user-notes.txt"], Directory.GetFiles(victim).Select(Path.GetFileName).Order());

        // In a real entry folder a killed writer's chunks and temporary files go, a file the cache never writes stays.
        Directory.Delete(cache.EntryFolder(key));
        var folder = Directory.CreateDirectory(cache.EntryFolder(key)).FullName;
        foreach (var name in new[] { "chunk-00007.bin", ".manifest.json.0123.tmp", "notes.txt" }) File.WriteAllText(Path.Combine(folder, name), "x");
        using (cache.OpenWriter(Parts, 2, 1, 4, chunkRows: 2)) { }
        Assert.Equal(["manifest.json", "notes.txt"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Fp16_storage_keeps_every_value_within_half_a_unit_in_the_last_place()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var random = new Random(3);
        // Magnitudes from 1e-3 to 6e4: typical normalized features up to large pre-norm activations.
        var values = Enumerable.Range(0, 4000).Select(_ => (float)((random.Next(2) * 2 - 1) * Math.Pow(10, random.NextDouble() * 7.7 - 3))).ToArray();
        var labels = new int[values.Length / 8];
        var writer = cache.OpenWriter(Parts, 8, 1, labels.Length, chunkRows: 128);
        writer.Append(values, labels, 8);
        writer.Complete();

        var read = cache.Read(Parts.Key()).Values;
        var worstRelative = values.Zip(read).Max(p => Math.Abs(p.First - p.Second) / Math.Abs(p.First));
        Assert.True(worstRelative <= Math.Pow(2, -11), $"worst relative fp16 error {worstRelative}");
        Assert.True(worstRelative > 0, "fp16 storage should round some of these values");
    }

    [Fact]
    public void A_value_beyond_fp16_range_is_an_error_naming_the_entry_not_an_infinity()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var writer = cache.OpenWriter(Parts, 2, 1, 2, chunkRows: 2);
        var e = Assert.Throws<ProbeBenchException>(() => writer.Append([1f, 70000f, 2f, 3f], [0, 0], 2));
        Assert.Contains(Parts.Key(), e.Message);
        Assert.Contains("--storage fp32", e.Message);
        Assert.Equal(FeatureCacheState.Partial, cache.Inspect(Parts.Key()).State);

        var fp32 = cache.OpenWriter(Parts with { StorageType = "fp32" }, 2, 1, 2, chunkRows: 2);
        fp32.Append([1f, 70000f, 2f, 3f], [0, 0], 2);
        fp32.Complete();
        Assert.Equal(70000f, cache.Read((Parts with { StorageType = "fp32" }).Key()).Values[1]);
    }

    [Fact]
    public void Entries_for_several_layer_choices_are_written_side_by_side()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var layers = new[] { "cls@last", "cls+avgpool@last4", "cls@block2" };
        var writers = layers.Select((l, i) => cache.OpenWriter(Parts with { LayerChoice = l, StorageType = "fp32" }, dim: i + 1, classCount: 5, expectedRows: 7, chunkRows: 3)).ToList();
        for (var row = 0; row < 7; row++)
            for (var i = 0; i < writers.Count; i++)
                writers[i].Append(Enumerable.Repeat(row * 10f + i, i + 1).ToArray(), [row % 5], i + 1);
        writers.ForEach(w => w.Complete());

        for (var i = 0; i < layers.Length; i++)
        {
            var set = cache.Read((Parts with { LayerChoice = layers[i], StorageType = "fp32" }).Key());
            Assert.Equal((7, i + 1), (set.Rows, set.Dim));
            Assert.Equal(Enumerable.Range(0, 7).SelectMany(r => Enumerable.Repeat(r * 10f + i, i + 1)), set.Values);
            Assert.Equal(Enumerable.Range(0, 7).Select(r => r % 5), set.Labels);
        }
        Assert.Equal(3, cache.List().Count(e => e.State == FeatureCacheState.Complete));
    }
}
