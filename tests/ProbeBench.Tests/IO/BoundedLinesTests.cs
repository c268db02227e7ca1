using ProbeBench.Core.IO;

namespace ProbeBench.Tests.IO;

public sealed class BoundedLinesTests
{
    private static List<string> Lines(string text, int maxChars = 1 << 20) =>
        BoundedLines.Read(new StringReader(text), maxChars, n => new FormatException($"line {n}")).ToList();

    [Fact]
    public void Lines_split_as_ReadLine_splits_them_even_across_the_read_buffer()
    {
        Assert.Equal(["a", "", "b", "c", "d"], Lines("a\n\nb\r\nc\rd"));
        Assert.Equal(["a"], Lines("a\n"));
        Assert.Empty(Lines(""));
        // A \r\n split by the 64 KiB buffer is one break, not two.
        var first = new string('x', (1 << 16) - 1);
        Assert.Equal([first, "y"], Lines(first + "\r\ny"));
        var text = string.Join("\n", Enumerable.Range(0, 20_000).Select(i => $"line {i}")) + "\r\n";
        Assert.Equal(new StringReader(text).ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).SkipLast(1), Lines(text));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_before_it_is_held_whole()
    {
        Assert.Equal(["12345", "1"], Lines("12345\n1", maxChars: 5));
        Assert.Equal("line 2", Assert.Throws<FormatException>(() => Lines("12345\n123456\n1", maxChars: 5)).Message);
        // A file without line breaks fails once the limit is passed, across buffers.
        Assert.Equal("line 1", Assert.Throws<FormatException>(() => Lines(new string('x', 200_000), maxChars: 100_000)).Message);
    }
}
