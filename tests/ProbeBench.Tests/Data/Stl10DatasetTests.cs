using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class Stl10DatasetTests
{
    private static readonly string[] Names = ["airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck"];

    /// <summary>The value stored for image <paramref name="i"/>, channel c, column x, row y.</summary>
    private static byte Pixel(int i, int c, int x, int y) => (byte)((x * 7 + y * 3 + c * 50 + i * 11) % 256);

    /// <summary>Writes images in the file's layout: per channel, column-major (x outer, y inner).</summary>
    private static string Write(TempDirectory dir, string split, byte[] fileLabels, byte[]? imagesOverride = null)
    {
        var folder = Directory.CreateDirectory(dir.File(Stl10Dataset.Folder)).FullName;
        var images = new byte[fileLabels.Length * Stl10Dataset.PixelBytes];
        var o = 0;
        for (var i = 0; i < fileLabels.Length; i++)
            for (var c = 0; c < 3; c++)
                for (var x = 0; x < 96; x++)
                    for (var y = 0; y < 96; y++)
                        images[o++] = Pixel(i, c, x, y);
        File.WriteAllBytes(Path.Combine(folder, Stl10Dataset.ImagesFile(split)), imagesOverride ?? images);
        File.WriteAllBytes(Path.Combine(folder, Stl10Dataset.LabelsFile(split)), fileLabels);
        File.WriteAllLines(Path.Combine(folder, Stl10Dataset.ClassNamesFile), Names);
        return folder;
    }

    [Fact]
    public void Column_major_planes_become_row_major_hwc_and_labels_become_zero_based()
    {
        using var dir = new TempDirectory();
        var folder = Write(dir, "train", [1, 10, 4]);

        var data = Stl10Dataset.Open(folder, "train");

        Assert.Equal(3, data.Count);
        Assert.Equal([0, 9, 3], Enumerable.Range(0, 3).Select(data.GetLabel));
        Assert.Equal(Names, data.ClassNames);
        for (var i = 0; i < 3; i++)
        {
            var image = data.Load(i);
            Assert.Equal((96, 96), (image.Height, image.Width));
            foreach (var (x, y) in new[] { (0, 0), (1, 0), (0, 1), (95, 3), (17, 80), (95, 95) })
                for (var c = 0; c < 3; c++)
                    Assert.Equal(Pixel(i, c, x, y), image.Pixels[(y * 96 + x) * 3 + c]);
        }
    }

    [Fact]
    public void Fingerprint_changes_with_labels_and_pixels()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var c = new TempDirectory();
        var first = Stl10Dataset.Open(Write(a, "test", [1, 2]), "test").Fingerprint;
        var relabelled = Stl10Dataset.Open(Write(b, "test", [2, 1]), "test").Fingerprint;
        var again = Stl10Dataset.Open(Write(c, "test", [1, 2]), "test").Fingerprint;
        Assert.Equal(first, again);
        Assert.NotEqual(first, relabelled);

        var pixels = File.ReadAllBytes(c.File(Stl10Dataset.Folder, "test_X.bin"));
        pixels[5000] ^= 1;
        File.WriteAllBytes(c.File(Stl10Dataset.Folder, "test_X.bin"), pixels);
        Assert.NotEqual(first, Stl10Dataset.Open(c.File(Stl10Dataset.Folder), "test").Fingerprint);
    }

    [Fact]
    public void Truncated_image_file_is_one_clear_error()
    {
        using var dir = new TempDirectory();
        var folder = Write(dir, "train", [1], new byte[Stl10Dataset.PixelBytes - 1]);
        var error = Assert.Throws<ProbeBenchException>(() => Stl10Dataset.Open(folder, "train"));
        Assert.Contains("train_X.bin", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Label_out_of_range_is_an_error(byte label)
    {
        using var dir = new TempDirectory();
        var folder = Write(dir, "train", [1, label]);
        var error = Assert.Throws<ProbeBenchException>(() => Stl10Dataset.Open(folder, "train"));
        Assert.Contains("train_y.bin", error.Message);
        Assert.Contains("image 1", error.Message);
    }

    [Fact]
    public void Label_count_must_match_image_count()
    {
        using var dir = new TempDirectory();
        var folder = Write(dir, "train", [1, 2]);
        File.WriteAllBytes(Path.Combine(folder, "train_y.bin"), [1]);
        Assert.Throws<ProbeBenchException>(() => Stl10Dataset.Open(folder, "train"));
    }
}
