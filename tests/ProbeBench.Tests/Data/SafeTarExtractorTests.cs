using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class SafeTarExtractorTests
{
    private static string WriteArchive(TempDirectory dir, byte[] archive)
    {
        var path = dir.File("a.tar.gz");
        File.WriteAllBytes(path, archive);
        return path;
    }

    [Fact]
    public void Files_folders_and_inner_links_are_unpacked()
    {
        using var dir = new TempDirectory();
        var archive = WriteArchive(dir, TarArchives.Gzip(
            TarArchives.Folder("data/"),
            TarArchives.File("data/a.bin", [1, 2, 3]),
            TarArchives.File("data/sub/b.txt", "hello"u8.ToArray()),
            TarArchives.Symlink("data/link.bin", "a.bin")));
        var target = dir.File("out");

        SafeTarExtractor.Extract(archive, target);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(target, "data", "a.bin")));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(target, "data", "sub", "b.txt")));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(target, "data", "link.bin")));
    }

    [Fact]
    public void A_tar_gz_cut_short_is_refused_though_the_inflater_stops_without_error()
    {
        using var dir = new TempDirectory();
        var whole = TarArchives.Gzip(TarArchives.File("data/a.bin", Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7919 >> 3)).ToArray()),
            TarArchives.File("data/b.bin", [1, 2, 3]));
        foreach (var cut in new[] { 8, 20, whole.Length / 2 })
        {
            var archive = WriteArchive(dir, whole[..^cut]);
            var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(archive, dir.File($"out-{cut}")));
            Assert.Contains(archive, error.Message);
        }
    }

    [Fact]
    public void Concatenated_gzip_members_and_a_pax_global_header_unpack()
    {
        using var dir = new TempDirectory();
        var content = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 31 >> 2)).ToArray();
        var single = TarArchives.Gzip(TarArchives.GlobalHeader("0123abcd"), TarArchives.File("data/a.bin", content), TarArchives.File("data/b.txt", "hello"u8.ToArray()));
        foreach (var (name, bytes) in new[] { ("single", single), ("members", TarArchives.Members(single, 7_000)) })
        {
            var target = dir.File(name);
            SafeTarExtractor.Extract(WriteArchive(dir, bytes), target);
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(target, "data", "a.bin")));
            Assert.Equal("hello", File.ReadAllText(Path.Combine(target, "data", "b.txt")));
        }
    }

    public static TheoryData<string> EscapingArchives => ["dotdot", "absolute", "symlink-out", "symlink-absolute"];

    [Theory]
    [MemberData(nameof(EscapingArchives))]
    public void Entries_escaping_the_target_are_refused_and_nothing_lands_outside(string kind)
    {
        using var dir = new TempDirectory();
        var entry = kind switch
        {
            "dotdot" => TarArchives.File("data/../../evil.txt", [1]),
            "absolute" => TarArchives.File(dir.File("evil.txt"), [1]),
            "symlink-out" => TarArchives.Symlink("data/evil.txt", "../../evil.txt"),
            _ => TarArchives.Symlink("data/evil.txt", "/etc/passwd"),
        };
        var archive = WriteArchive(dir, TarArchives.Gzip(TarArchives.File("data/ok.txt", [0]), entry));
        var target = dir.File("deep", "out");

        var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(archive, target));

        Assert.Contains("refusing", error.Message);
        Assert.Contains(archive, error.Message);
        Assert.False(File.Exists(dir.File("evil.txt")));
        Assert.False(File.Exists(dir.File("deep", "evil.txt")));
        Assert.False(File.Exists(Path.Combine(target, "data", "evil.txt")));
    }

    [Fact]
    public void Corrupt_archive_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        var good = TarArchives.Gzip(TarArchives.File("data/a.bin", new byte[10000]));
        var archive = WriteArchive(dir, good[..(good.Length / 2)]);
        var error = Assert.Throws<ProbeBenchException>(() => SafeTarExtractor.Extract(archive, dir.File("out")));
        Assert.Contains(archive, error.Message);
    }
}
