using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Evaluation;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>An export's files appear in --to all together or not at all, and a file already there is replaced only with --overwrite.</summary>
public sealed class FeatureExportFolderTests
{
    private static FeatureCacheKeyParts Parts(string split) => new("sha", "arch", "recipe", "fp", split, "all", "cls@last", "fp32", "fp32", "cpu");

    private static void WriteEntry(FeatureCache cache, FeatureCacheKeyParts parts)
    {
        using var writer = cache.OpenWriter(parts, 2, 3, 6, chunkRows: 3);
        writer.Append(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), [0, 1, 2, 0, 1, 2], 2);
        writer.Complete();
    }

    /// <summary>Two complete entries whose keys start alike (so one prefix exports both); the second in export order has a corrupt chunk.</summary>
    private static (string CacheRoot, string Prefix, string GoodStem) TwoEntriesTheSecondCorrupt(TempDirectory dir)
    {
        var cache = new FeatureCache(dir.File("cache"));
        var splits = Enumerable.Range(0, 200).Select(i => $"s{i}").ToList();
        var pair = splits.GroupBy(s => Parts(s).Key()[0]).First(g => g.Count() >= 2).Take(2).OrderBy(s => Parts(s).Key(), StringComparer.Ordinal).ToList();
        foreach (var split in pair) WriteEntry(cache, Parts(split));
        var bad = cache.EntryFolder(Parts(pair[1]).Key());
        var chunk = Path.Combine(bad, "chunk-00001.bin");
        var bytes = File.ReadAllBytes(chunk);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(chunk, bytes);
        var good = Parts(pair[0]);
        return (dir.File("cache"), good.Key()[..1], $"{good.Key()[..12]}__{good.Split}__cls@last");
    }

    private static (string CacheRoot, string Key, string Stem) OneEntry(TempDirectory dir)
    {
        var parts = Parts("train");
        WriteEntry(new FeatureCache(dir.File("cache")), parts);
        return (dir.File("cache"), parts.Key(), $"{parts.Key()[..12]}__train__cls@last");
    }

    [SkippableTheory]
    [InlineData("npy")]
    [InlineData("safetensors")]
    [InlineData("parquet")]
    public async Task An_export_onto_a_full_disk_is_one_sentence_naming_it_and_leaves_none_of_its_files(string format)
    {
        using var disk = FullDisk.TryMount(kilobytes: 64);
        Skip.If(disk is null, "no tmpfs can be mounted here (it needs root)");
        using var dir = new TempDirectory();
        var parts = Parts("train");
        const int dim = 64, rows = 512; // 128 KiB of fp32 features, random so that Parquet cannot compress them below 64 KiB
        var random = new Random(1);
        using (var writer = new FeatureCache(dir.File("cache")).OpenWriter(parts, dim, 3, rows, chunkRows: 128))
        {
            writer.Append(Enumerable.Range(0, rows * dim).Select(_ => random.NextSingle()).ToArray(), Enumerable.Range(0, rows).Select(i => i % 3).ToArray(), dim);
            writer.Complete();
        }

        // Parquet.Net wraps the IOException in its own ApplicationException: it must still come out as this one sentence.
        var error = await Assert.ThrowsAsync<ProbeBenchException>(() =>
            FeatureExport.RunAsync(new FeatureExport.Request(parts.Key(), disk.Path, format, CacheRoot: dir.File("cache"), ResultsRoot: dir.File("runs"))));

        Assert.StartsWith($"--to {disk.Path}: writing {parts.Key()[..12]}__train__cls@last failed (No space left on device", error.Message);
        Assert.EndsWith("none of this export's files were left there.", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [Theory]
    [InlineData("npy")]
    [InlineData("safetensors")]
    [InlineData("parquet")]
    public async Task A_failed_export_leaves_none_of_its_files_and_what_was_there_before_as_it_was(string format)
    {
        using var dir = new TempDirectory();
        var (cacheRoot, prefix, _) = TwoEntriesTheSecondCorrupt(dir);
        var to = Directory.CreateDirectory(dir.File("out")).FullName;
        File.WriteAllText(Path.Combine(to, "notes.txt"), "mine");

        await Assert.ThrowsAsync<FeatureCacheCorruptException>(() => FeatureExport.RunAsync(new FeatureExport.Request(prefix, to, format, CacheRoot: cacheRoot, ResultsRoot: dir.File("runs"))));

        Assert.Equal([Path.Combine(to, "notes.txt")], Directory.GetFileSystemEntries(to));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(to, "notes.txt")));
    }

    [Theory]
    [InlineData("npy", 3)]
    [InlineData("safetensors", 1)]
    [InlineData("parquet", 2)]
    public async Task A_file_of_the_same_name_is_refused_before_anything_is_read_and_replaced_with_overwrite(string format, int files)
    {
        using var dir = new TempDirectory();
        var (cacheRoot, key, stem) = OneEntry(dir);
        var to = Directory.CreateDirectory(dir.File("out")).FullName;
        var taken = Path.Combine(to, format == "safetensors" ? stem + ".safetensors" : stem + ".json");
        File.WriteAllText(taken, "mine");
        var request = new FeatureExport.Request(key, to, format, CacheRoot: cacheRoot, ResultsRoot: dir.File("runs"));

        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => FeatureExport.RunAsync(request));

        Assert.Contains(Path.GetFileName(taken), error.Message);
        Assert.Contains("--overwrite", error.Message);
        Assert.Equal("mine", File.ReadAllText(taken));
        Assert.Equal([taken], Directory.GetFileSystemEntries(to));

        var written = await FeatureExport.RunAsync(request with { Overwrite = true });

        Assert.Equal(files, written.Count);
        Assert.Contains(taken, written);
        Assert.NotEqual("mine", File.ReadAllText(taken));
        Assert.Equal(written.Order(), Directory.GetFileSystemEntries(to).Order());
    }

    [Fact]
    public async Task Overwrite_replaces_a_link_itself_and_never_writes_through_it_nor_replaces_a_folder()
    {
        using var dir = new TempDirectory();
        var (cacheRoot, key, stem) = OneEntry(dir);
        var to = Directory.CreateDirectory(dir.File("out")).FullName;
        File.WriteAllText(dir.File("outside.json"), "the user's own file");
        var link = Path.Combine(to, stem + ".json");
        File.CreateSymbolicLink(link, dir.File("outside.json"));
        var request = new FeatureExport.Request(key, to, "npy", CacheRoot: cacheRoot, ResultsRoot: dir.File("runs"));

        await Assert.ThrowsAsync<ProbeBenchException>(() => FeatureExport.RunAsync(request));
        await FeatureExport.RunAsync(request with { Overwrite = true });

        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.Contains("\"provenance\"", File.ReadAllText(link));
        Assert.Equal("the user's own file", File.ReadAllText(dir.File("outside.json")));

        File.Delete(link);
        Directory.CreateDirectory(link);
        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => FeatureExport.RunAsync(request with { Overwrite = true }));
        Assert.Contains("folder", error.Message);
        Assert.True(Directory.Exists(link));
    }
}
