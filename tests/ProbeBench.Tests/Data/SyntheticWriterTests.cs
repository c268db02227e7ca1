using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

/// <summary>
/// synthesize writes its folder whole beside its place and moves it in marked synthetic, replaces only a folder it wrote,
/// and never writes through a link.
/// </summary>
public sealed class SyntheticWriterTests
{
    private static string WriteCifar(string root, int seed = 1) => SyntheticCifarWriter.Write(root, CifarLayout.Cifar10, trainPerFile: 3, testCount: 4, seed);

    private static string WriteDepth(string root, int seed = 1) => SyntheticDenseWriter.Write(root, DenseTask.Depth, 2, 1, 16, seed);

    [Fact]
    public void Counts_beyond_ten_times_the_real_datasets_are_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        Assert.Contains("--train-per-file and --test must be 1 to 100,000",
            Assert.Throws<ProbeBenchException>(() => SyntheticCifarWriter.Write(dir.Path, CifarLayout.Cifar10, 100_000_000, 4, 1)).Message);
        Assert.Throws<ProbeBenchException>(() => SyntheticCifarWriter.Write(dir.Path, CifarLayout.Cifar10, 3, 0, 1));
        Assert.Contains("--train and --test must be 1 to 100,000",
            Assert.Throws<ProbeBenchException>(() => SyntheticDenseWriter.Write(dir.Path, DenseTask.Depth, 2, 2_000_000_000, 16, 1)).Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Cifar_refuses_a_folder_it_did_not_write_and_never_writes_through_a_link_in_it()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(dir.File("data", CifarLayout.Cifar10.Folder)).FullName;
        File.WriteAllBytes(Path.Combine(folder, "data_batch_1.bin"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(folder, DatasetInstaller.CompleteMarker), "{}");
        File.WriteAllText(dir.File("outside.bin"), "the user's own file");
        File.CreateSymbolicLink(Path.Combine(folder, "test_batch.bin"), dir.File("outside.bin"));

        var error = Assert.Throws<ProbeBenchException>(() => WriteCifar(dir.File("data")));

        Assert.Contains(folder, error.Message);
        Assert.Contains(SyntheticCifarWriter.MarkerFile, error.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(folder, "data_batch_1.bin")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(folder, DatasetInstaller.CompleteMarker)));
        Assert.Equal(dir.File("outside.bin"), new FileInfo(Path.Combine(folder, "test_batch.bin")).LinkTarget);
        Assert.Equal("the user's own file", File.ReadAllText(dir.File("outside.bin")));
        Assert.Equal(3, Directory.GetFileSystemEntries(folder).Length);
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.File("data")));
    }

    [Fact]
    public void A_folder_synthesize_wrote_is_replaced_and_nothing_else_is_left_in_the_data_root()
    {
        using var dir = new TempDirectory();
        var cifar = WriteCifar(dir.File("data"), seed: 1);
        var depth = WriteDepth(dir.File("data"), seed: 1);
        var firstBatch = File.ReadAllBytes(Path.Combine(cifar, "data_batch_1.bin"));
        var firstDepth = File.ReadAllBytes(Path.Combine(depth, "train", "depth", "00000.png"));

        Assert.Equal(cifar, WriteCifar(dir.File("data"), seed: 2));
        Assert.Equal(depth, WriteDepth(dir.File("data"), seed: 2));

        Assert.NotEqual(firstBatch, File.ReadAllBytes(Path.Combine(cifar, "data_batch_1.bin")));
        Assert.NotEqual(firstDepth, File.ReadAllBytes(Path.Combine(depth, "train", "depth", "00000.png")));
        Assert.True(File.Exists(Path.Combine(cifar, SyntheticCifarWriter.MarkerFile)));
        Assert.True(File.Exists(Path.Combine(depth, DenseFolders.SyntheticMarker)));
        Assert.Equal(new[] { cifar, depth }.Order(), Directory.GetFileSystemEntries(dir.File("data")).Order());
    }

    [Theory]
    [InlineData("cifar10")]
    [InlineData("depth")]
    public void A_link_in_place_of_the_folder_is_refused_even_to_a_synthetic_folder_and_its_target_is_untouched(string which)
    {
        using var dir = new TempDirectory();
        var elsewhere = which == "cifar10" ? WriteCifar(dir.File("elsewhere")) : WriteDepth(dir.File("elsewhere"));
        var before = Directory.GetFiles(elsewhere, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes).ToList();
        Directory.CreateDirectory(dir.File("data"));
        var link = dir.File("data", Path.GetFileName(elsewhere));
        Directory.CreateSymbolicLink(link, elsewhere);

        var error = Assert.Throws<ProbeBenchException>(() => _ = which == "cifar10" ? WriteCifar(dir.File("data"), 7) : WriteDepth(dir.File("data"), 7));

        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(elsewhere, new DirectoryInfo(link).LinkTarget);
        Assert.Equal(before, Directory.GetFiles(elsewhere, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes));
    }

    [Fact]
    public void A_marker_that_is_a_link_does_not_make_a_folder_synthesize_s_own()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(dir.File("data", "synthetic-depth")).FullName;
        File.WriteAllText(dir.File("marker"), "");
        File.CreateSymbolicLink(Path.Combine(folder, DenseFolders.SyntheticMarker), dir.File("marker"));
        File.WriteAllText(Path.Combine(folder, "mine.txt"), "kept");

        Assert.Throws<ProbeBenchException>(() => WriteDepth(dir.File("data")));

        Assert.Equal("kept", File.ReadAllText(Path.Combine(folder, "mine.txt")));
    }

    [Fact]
    public void The_folder_appears_only_when_complete_and_already_marked_synthetic_and_a_failure_leaves_the_previous_one()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("data", "set");
        string? staging = null;
        Assert.Throws<InvalidOperationException>(() => SyntheticFolder.Write(folder, ".marker", "synthetic", into =>
        {
            staging = into;
            Assert.False(Directory.Exists(folder));
            Assert.Equal("synthetic", File.ReadAllText(Path.Combine(into, ".marker")));
            File.WriteAllText(Path.Combine(into, "half.bin"), "half");
            throw new InvalidOperationException("interrupted");
        }));
        Assert.NotNull(staging);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("data")));

        SyntheticFolder.Write(folder, ".marker", "synthetic", into => File.WriteAllText(Path.Combine(into, "whole.bin"), "first"));
        Assert.Throws<InvalidOperationException>(() => SyntheticFolder.Write(folder, ".marker", "synthetic", into =>
        {
            File.WriteAllText(Path.Combine(into, "whole.bin"), "second, half");
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Equal("first", File.ReadAllText(Path.Combine(folder, "whole.bin")));
        Assert.Equal([folder], Directory.GetFileSystemEntries(dir.File("data")));
    }

    [Theory]
    [InlineData("cifar10")]
    [InlineData("depth")]
    public async Task Whenever_the_folder_is_visible_it_already_carries_its_synthetic_marker(string which)
    {
        using var dir = new TempDirectory();
        var root = dir.File("data");
        var folder = which == "cifar10" ? Path.Combine(root, CifarLayout.Cifar10.Folder) : Path.Combine(root, "synthetic-depth");
        var marker = Path.Combine(folder, which == "cifar10" ? SyntheticCifarWriter.MarkerFile : DenseFolders.SyntheticMarker);
        var writing = Task.Run(() => which == "cifar10"
            ? SyntheticCifarWriter.Write(root, CifarLayout.Cifar10, trainPerFile: 3000, testCount: 3000, seed: 1)
            : SyntheticDenseWriter.Write(root, DenseTask.Depth, 120, 60, 64, seed: 1));
        var unmarked = 0;
        while (!writing.IsCompleted)
        {
            if (Directory.Exists(folder) && !File.Exists(marker)) unmarked++;
            Thread.Sleep(1);
        }
        await writing;
        Assert.Equal(0, unmarked);
        Assert.True(File.Exists(marker));
    }
}
