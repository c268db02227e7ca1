using ProbeBench.Core.Cache;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

public class CacheCommandTests
{
    private static readonly FeatureCacheKeyParts Parts = new("0123456789abcdef0123", "vit_s14", "dinov2-eval;resize=short256x256", "cifar10-fp", "train", "all", "cls@last", "fp32", "fp16", "cpu");

    private static FeatureCache Populate(TempDirectory dir)
    {
        var cache = new FeatureCache(dir.Path);
        var values = Enumerable.Range(0, 6 * 4).Select(i => i / 10f).ToArray();
        var labels = new[] { 0, 1, 2, 0, 1, 2 };
        var writer = cache.OpenWriter(Parts, 4, 3, 6, chunkRows: 4);
        writer.Append(values, labels, 4);
        writer.Complete();
        using (var killed = cache.OpenWriter(Parts with { Split = "test" }, 4, 3, 6, chunkRows: 4)) killed.Append(values.AsSpan(0, 4 * 4), labels.AsSpan(0, 4), 4);
        return cache;
    }

    [Fact]
    public void Remove_partial_and_all_touch_only_folders_the_cache_made_never_through_a_link()
    {
        using var dir = new TempDirectory();
        var cache = Populate(dir);
        // A user's folder reached through a link where a prefix folder would be, a folder with a key's name inside it,
        // and folders that are not named as the cache names its own.
        var victim = Directory.CreateDirectory(dir.File("victim")).FullName;
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(victim, "abkeep-long-folder-name")).FullName, "file"), "keep");
        var keyNamed = Directory.CreateDirectory(Path.Combine(victim, "ab" + new string('0', 62))).FullName;
        File.WriteAllText(Path.Combine(keyNamed, "file"), "keep");
        Directory.CreateSymbolicLink(Path.Combine(cache.FeaturesFolder, "ab"), victim);
        var stray = Directory.CreateDirectory(Path.Combine(cache.FeaturesFolder, "cd", "abkeep")).FullName;
        var upper = Directory.CreateDirectory(Path.Combine(cache.FeaturesFolder, "EF", "EF" + new string('0', 62))).FullName;

        Assert.Equal(new[] { Parts.Key(), (Parts with { Split = "test" }).Key() }.Order(StringComparer.Ordinal), cache.List().Select(e => e.Key));
        foreach (var args in new[] { new[] { "cache", "remove", "--partial", "--cache-root", dir.Path }, ["cache", "remove", "--all", "--cache-root", dir.Path] })
        {
            var run = CliProcess.Run(args);
            Assert.True(run.ExitCode == 0, run.StdErr);
        }

        Assert.Empty(cache.List());
        Assert.True(File.Exists(Path.Combine(victim, "abkeep-long-folder-name", "file")));
        Assert.True(File.Exists(Path.Combine(keyNamed, "file")));
        Assert.True(Directory.Exists(stray) && Directory.Exists(upper));
        Assert.Equal("'abkeep' is not a feature-cache key (64 lowercase hexadecimal digits).",
            Assert.Throws<ProbeBench.Core.ProbeBenchException>(() => cache.EntryFolder("abkeep")).Message);
    }

    [Fact]
    public void List_shows_each_entry_with_state_size_and_provenance()
    {
        using var dir = new TempDirectory();
        var cache = Populate(dir);
        var run = CliProcess.Run(["cache", "list", "--cache-root", dir.Path]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(Parts.Key()[..12], run.StdOut);
        Assert.Contains((Parts with { Split = "test" }).Key()[..12], run.StdOut);
        Assert.Contains("complete", run.StdOut);
        Assert.Contains("4/6", run.StdOut);
        Assert.Contains("0123456789abcdef", run.StdOut);
        Assert.Contains("cifar10-fp / train", run.StdOut);
        Assert.Contains("dinov2-eval", run.StdOut);
        Assert.Contains("2 entries", run.StdOut);
        Assert.Contains($"{cache.List().Sum(e => e.Bytes) / 1024.0:F1} KiB", run.StdOut);
    }

    [Fact]
    public void Verify_exits_1_on_a_corrupt_entry_naming_the_chunk_and_can_remove_it()
    {
        using var dir = new TempDirectory();
        var cache = Populate(dir);
        var clean = CliProcess.Run(["cache", "verify", "--cache-root", dir.Path]);
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("2 entries checked, 0 corrupt", clean.StdOut);
        Assert.Contains("resumes at row 4 of 6", clean.StdOut);

        var chunk = Path.Combine(cache.EntryFolder(Parts.Key()), "chunk-00001.bin");
        var bytes = File.ReadAllBytes(chunk);
        bytes[5] ^= 0x10;
        File.WriteAllBytes(chunk, bytes);

        var bad = CliProcess.Run(["cache", "verify", "--cache-root", dir.Path, Parts.Key()[..8]]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("CORRUPT", bad.StdOut);
        Assert.Contains("chunk-00001.bin", bad.StdOut);

        var removed = CliProcess.Run(["cache", "verify", "--cache-root", dir.Path, "--remove-corrupt"]);
        Assert.Equal(1, removed.ExitCode);
        Assert.Contains("(removed)", removed.StdOut);
        Assert.Equal(FeatureCacheState.Missing, cache.Inspect(Parts.Key()).State);
        Assert.Equal(FeatureCacheState.Partial, cache.Inspect((Parts with { Split = "test" }).Key()).State);
    }

    [Fact]
    public void Remove_takes_key_prefixes_or_partial_entries_and_names_unknown_keys()
    {
        using var dir = new TempDirectory();
        var cache = Populate(dir);
        var unknown = CliProcess.Run(["cache", "remove", "--cache-root", dir.Path, "zzzz"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'zzzz'", unknown.StdErr);

        var partial = CliProcess.Run(["cache", "remove", "--cache-root", dir.Path, "--partial"]);
        Assert.Equal(0, partial.ExitCode);
        Assert.Contains("1 entries removed", partial.StdOut);
        Assert.Equal(FeatureCacheState.Complete, cache.Inspect(Parts.Key()).State);
        Assert.Equal(FeatureCacheState.Missing, cache.Inspect((Parts with { Split = "test" }).Key()).State);

        var byKey = CliProcess.Run(["cache", "remove", "--cache-root", dir.Path, Parts.Key()[..10]]);
        Assert.Equal(0, byKey.ExitCode);
        Assert.Empty(cache.List());
    }

    [Fact]
    public void List_verify_and_remove_work_on_a_real_cache()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.Path);
        var parts = new FeatureCacheKeyParts("sha", "arch", "recipe", "fp", "train", "all", "cls@last", "fp32", "fp16", "cpu");
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
