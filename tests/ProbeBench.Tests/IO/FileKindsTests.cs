using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

public class FileKindsTests
{
    [Fact]
    public void Tells_files_folders_links_fifos_and_devices_apart()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("file"), "x");
        File.CreateSymbolicLink(dir.File("link"), dir.File("file"));
        Fifo.Make(dir.File("fifo"));

        Assert.Equal(FileKind.Regular, FileKinds.Of(dir.File("file")));
        Assert.Equal(FileKind.Directory, FileKinds.Of(dir.Path));
        Assert.Equal(FileKind.Missing, FileKinds.Of(dir.File("none")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(dir.File("file", "below-a-file")));
        Assert.Equal(FileKind.Regular, FileKinds.Of(dir.File("link")));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(dir.File("link"), followLinks: false));
        Assert.Equal(FileKind.Special, FileKinds.Of(dir.File("fifo")));
        Assert.Equal(FileKind.Special, FileKinds.Of("/dev/null"));
    }

    [Fact]
    public void An_output_file_may_not_be_an_input_under_another_spelling()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("run"));
        File.WriteAllText(dir.File("run", "results.csv"), "x");
        Directory.CreateSymbolicLink(dir.File("alias"), dir.File("run"));

        foreach (var output in new[] { dir.File("alias", "results.csv"), dir.File("run", "..", "run", "results.csv"), dir.File("alias", "new.md") })
            Assert.Contains("would overwrite the input", Assert.Throws<ProbeBenchException>(() => OutputFile.Claim(output, "--markdown", [dir.File("run")])).Message);
        Assert.Equal(dir.File("elsewhere.md"), OutputFile.Claim(dir.File("elsewhere.md"), "--markdown", [dir.File("run")]));
        Assert.False(File.Exists(dir.File("elsewhere.md")), "claiming probes the folder but leaves no file");
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp"));
    }
}
