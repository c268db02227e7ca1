using System.IO.Compression;
using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class SafeZipExtractorTests
{
    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Fastest)]
    public void An_entry_that_fails_its_recorded_crc_is_refused_though_dotnet_reads_it_without_complaint(CompressionLevel level)
    {
        using var dir = new TempDirectory();
        var content = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 7919 >> 4)).ToArray();
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        using (var stream = zip.CreateEntry("data/a.bin", level).Open())
            stream.Write(content);
        var whole = output.ToArray();
        File.WriteAllBytes(dir.File("whole.zip"), whole);
        SafeZipExtractor.Extract(dir.File("whole.zip"), dir.File("whole"));
        Assert.Equal(content, File.ReadAllBytes(dir.File("whole", "data", "a.bin")));

        // Flip one bit of the entry's data (past its 30-byte local header and name): stored, it reads back changed; deflated,
        // it may still inflate. Either way the CRC-32 the archive records no longer matches.
        var corrupt = (byte[])whole.Clone();
        corrupt[30 + "data/a.bin".Length + 300] ^= 0x10;
        File.WriteAllBytes(dir.File("corrupt.zip"), corrupt);
        var error = Assert.ThrowsAny<ProbeBenchException>(() => SafeZipExtractor.Extract(dir.File("corrupt.zip"), dir.File("corrupt")));
        Assert.Contains(dir.File("corrupt.zip"), error.Message);
    }
}
