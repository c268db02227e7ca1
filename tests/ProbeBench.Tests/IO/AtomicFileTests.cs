using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void Writes_text_and_leaves_no_temporary_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("a", "b.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["b.txt"], Directory.GetFiles(temp.File("a")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failing_writer_keeps_the_old_content_and_removes_the_temporary_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([9, 9]);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task Async_writer_produces_the_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("d.bin");
        await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(new byte[] { 4, 5 }, ct).AsTask());
        Assert.Equal([4, 5], File.ReadAllBytes(path));
    }
}
