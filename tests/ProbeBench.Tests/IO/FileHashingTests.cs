using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

public sealed class FileHashingTests
{
    [Fact]
    public void Known_digests_of_abc()
    {
        using var temp = new TempDirectory();
        var path = temp.File("abc.txt");
        File.WriteAllText(path, "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileHashing.Sha256(path));
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", FileHashing.Md5(path));
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("none");
        var error = Assert.Throws<ProbeBenchException>(() => FileHashing.Sha256(path));
        Assert.Contains(path, error.Message);
    }
}
