using System.IO.Compression;
using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class SafeGunzipTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7919 >> 5)).ToArray();

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void A_whole_file_and_one_of_concatenated_members_inflate_to_their_content()
    {
        using var dir = new TempDirectory();
        foreach (var (name, bytes) in new[] { ("whole.gz", Gzip(Content)), ("members.gz", [.. Gzip(Content[..30_000]), .. Gzip(Content[30_000..])]) })
        {
            File.WriteAllBytes(dir.File(name), bytes);
            SafeGunzip.Extract(dir.File(name), dir.File("out", name + ".bin"));
            Assert.Equal(Content, File.ReadAllBytes(dir.File("out", name + ".bin")));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(100)]
    public void A_file_cut_short_is_refused_in_one_sentence(int cut)
    {
        using var dir = new TempDirectory();
        var whole = Gzip(Content);
        File.WriteAllBytes(dir.File("cut.gz"), whole[..^cut]);

        var error = Assert.Throws<ProbeBenchException>(() => SafeGunzip.Extract(dir.File("cut.gz"), dir.File("out", "cut")));
        Assert.Contains(dir.File("cut.gz"), error.Message);
    }
}
