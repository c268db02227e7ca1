using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Weights;

/// <summary>Checkpoints without a public URL (the user brings them) and the sha256 prefix a published name carries.</summary>
public sealed class BroughtCheckpointTests
{
    private static OfficialCheckpoint Brought(string prefix) =>
        new("model_x", "model_x_pretrain-" + prefix + ".pth", Url: null) { ObtainFrom = "ask its publisher", Sha256Prefix = prefix };

    [Fact]
    public async Task A_brought_file_in_the_cache_is_used_as_it_is()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var checkpoint = Brought("0badcafe");
        File.WriteAllText(store.PathFor(checkpoint.FileName), "weights");
        Assert.Equal(store.PathFor(checkpoint.FileName), await store.ResolveAsync(checkpoint));
    }

    [Fact]
    public async Task A_missing_brought_file_names_the_file_where_to_get_it_and_where_to_put_it()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.File("weights"));
        var checkpoint = Brought("0badcafe");
        var e = await Assert.ThrowsAsync<ProbeBenchException>(() => store.ResolveAsync(checkpoint));
        Assert.Contains("model_x needs the file model_x_pretrain-0badcafe.pth", e.Message);
        Assert.Contains("ask its publisher", e.Message);
        Assert.Contains(temp.File("weights", "model_x_pretrain-0badcafe.pth"), e.Message);
        Assert.False(Directory.Exists(temp.File("weights")), "nothing is created for a file that is not there");
    }

    [Fact]
    public void The_digest_must_start_with_the_hash_in_the_name()
    {
        using var temp = new TempDirectory();
        var file = temp.File("x.pth");
        File.WriteAllText(file, "some weights");
        var sha = FileHashing.Sha256(file);
        Brought(sha[..8]).Verify(file, sha);
        Brought(sha[..8].ToUpperInvariant()).Verify(file, sha);
        var wrong = (sha[0] == '0' ? "1" : "0") + sha[1..8];
        var e = Assert.Throws<ProbeBenchException>(() => Brought(wrong).Verify(file, sha));
        Assert.Contains(file, e.Message);
        Assert.Contains($"does not start with {wrong}", e.Message);
        var pinned = new OfficialCheckpoint("m", "m.pth", new Uri("https://example.org/m.pth"), Sha256: new string('a', 64));
        Assert.Contains("its sha256 is", Assert.Throws<ProbeBenchException>(() => pinned.Verify(file, sha)).Message);
    }
}
