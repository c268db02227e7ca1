using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;
using SkiaSharp;

namespace ProbeBench.Tests.Data;

public class ImageFolderDatasetTests
{
    /// <summary>train/{cat,Dog,ant}: classes sort ordinally as Dog, ant, cat (upper case first, like torchvision).</summary>
    private static string WriteFolder(TempDirectory dir)
    {
        var train = dir.File("pets", "train");
        ImageFiles.WriteRgb(Path.Combine(train, "cat", "b.png"), 5, 4, 1, SKEncodedImageFormat.Png);
        ImageFiles.WriteRgb(Path.Combine(train, "cat", "a.png"), 3, 7, 2, SKEncodedImageFormat.Png);
        ImageFiles.WriteRgb(Path.Combine(train, "Dog", "x.jpg"), 8, 8, 3, SKEncodedImageFormat.Jpeg);
        ImageFiles.WriteGrey(Path.Combine(train, "ant", "grey.png"), 6, 2);
        ImageFiles.WriteRgba(Path.Combine(train, "ant", "rgba.png"), 4, 4, 5, alpha: 40);
        File.WriteAllText(Path.Combine(train, "ant", "notes.txt"), "not an image");
        return dir.File("pets");
    }

    [Fact]
    public void Classes_are_sorted_folder_names_and_files_are_in_path_order()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(WriteFolder(dir), "train");

        Assert.Equal(["Dog", "ant", "cat"], data.ClassNames);
        Assert.Equal(5, data.Count);
        Assert.Equal([0, 1, 1, 2, 2], Enumerable.Range(0, 5).Select(data.GetLabel));
        Assert.Equal(["x.jpg", "grey.png", "rgba.png", "a.png", "b.png"], Enumerable.Range(0, 5).Select(i => Path.GetFileName(data.PathOf(i))));
        Assert.Equal("pets", data.Name);
        Assert.Equal("train", data.Split);
    }

    [Fact]
    public void Png_pixels_decode_exactly_to_rgb_of_any_size()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(WriteFolder(dir), "train");
        var image = data.Load(3); // cat/a.png, 3 wide, 7 high, seed 2
        Assert.Equal((7, 3), (image.Height, image.Width));
        for (var y = 0; y < 7; y++)
            for (var x = 0; x < 3; x++)
            {
                var (r, g, b) = ImageFiles.Colour(x, y, 2);
                Assert.Equal([r, g, b], image.Pixels.AsSpan((y * 3 + x) * 3, 3).ToArray());
            }
    }

    [Fact]
    public void Grey_becomes_three_equal_channels_and_alpha_is_dropped_without_blending()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(WriteFolder(dir), "train");

        var grey = data.Load(1);
        Assert.Equal((2, 6), (grey.Height, grey.Width));
        for (var y = 0; y < 2; y++)
            for (var x = 0; x < 6; x++)
                Assert.Equal(Enumerable.Repeat((byte)(x * 10 + y), 3), grey.Pixels.AsSpan((y * 6 + x) * 3, 3).ToArray());

        var rgba = data.Load(2);
        var (r, g, b) = ImageFiles.Colour(2, 1, 5);
        var at = (1 * 4 + 2) * 3;
        // Unpremultiplied alpha 40/255 leaves colours quantised by at most a couple of levels.
        Assert.InRange(rgba.Pixels[at], r - 3, r + 3);
        Assert.InRange(rgba.Pixels[at + 1], g - 3, g + 3);
        Assert.InRange(rgba.Pixels[at + 2], b - 3, b + 3);
    }

    [Fact]
    public void Jpeg_decodes_close_to_what_was_encoded()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(WriteFolder(dir), "train");
        var image = data.Load(0);
        Assert.Equal((8, 8), (image.Height, image.Width));
        var (r, g, b) = ImageFiles.Colour(4, 4, 3);
        var at = (4 * 8 + 4) * 3;
        Assert.InRange(image.Pixels[at], r - 12, r + 12);
        Assert.InRange(image.Pixels[at + 1], g - 12, g + 12);
        Assert.InRange(image.Pixels[at + 2], b - 12, b + 12);
    }

    [Fact]
    public void Load_is_thread_safe()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(WriteFolder(dir), "train");
        var serial = Enumerable.Range(0, data.Count).Select(i => data.Load(i).Pixels).ToArray();
        var parallel = new byte[data.Count * 20][];
        Parallel.For(0, parallel.Length, i => parallel[i] = data.Load(i % data.Count).Pixels);
        for (var i = 0; i < parallel.Length; i++)
            Assert.Equal(serial[i % data.Count], parallel[i]);
    }

    [Fact]
    public void Without_split_the_root_is_the_folder_of_classes()
    {
        using var dir = new TempDirectory();
        var root = WriteFolder(dir);
        var data = ImageFolderDataset.Open(Path.Combine(root, "train"), null);
        Assert.Equal(5, data.Count);
    }

    [Fact]
    public void Fingerprint_is_stable_and_changes_with_content_labels_or_files()
    {
        using var dir = new TempDirectory();
        var root = WriteFolder(dir);
        var first = ImageFolderDataset.Open(root, "train").Fingerprint;
        Assert.Equal(first, ImageFolderDataset.Open(root, "train").Fingerprint);

        ImageFiles.WriteRgb(Path.Combine(root, "train", "cat", "a.png"), 3, 7, 9, SKEncodedImageFormat.Png);
        var edited = ImageFolderDataset.Open(root, "train").Fingerprint;
        Assert.NotEqual(first, edited);

        File.Move(Path.Combine(root, "train", "cat", "a.png"), Path.Combine(root, "train", "ant", "a.png"));
        Assert.NotEqual(edited, ImageFolderDataset.Open(root, "train").Fingerprint);
    }

    [Fact]
    public void Empty_class_folder_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        var root = WriteFolder(dir);
        Directory.CreateDirectory(Path.Combine(root, "train", "empty"));
        var error = Assert.Throws<ProbeBenchException>(() => ImageFolderDataset.Open(root, "train"));
        Assert.Contains(Path.Combine("train", "empty"), error.Message);
    }

    [Fact]
    public void Missing_split_folder_is_an_error()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ProbeBenchException>(() => ImageFolderDataset.Open(WriteFolder(dir), "val"));
        Assert.Contains("'val'", error.Message);
    }

    [Fact]
    public void Undecodable_image_fails_with_its_path_or_is_skipped_and_listed_when_asked()
    {
        using var dir = new TempDirectory();
        var root = WriteFolder(dir);
        var bad = Path.Combine(root, "train", "cat", "broken.jpg");
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        var garbage = Path.Combine(root, "train", "Dog", "garbage.png");
        File.WriteAllText(garbage, "this is not a png");

        var strict = ImageFolderDataset.Open(root, "train");
        Assert.Equal(7, strict.Count);
        var index = Enumerable.Range(0, strict.Count).Single(i => strict.PathOf(i) == bad);
        var error = Assert.Throws<ProbeBenchException>(() => strict.Load(index));
        Assert.Contains(bad, error.Message);

        var lenient = ImageFolderDataset.Open(root, "train", new ImageFolderOptions(SkipUndecodable: true));
        Assert.Equal(5, lenient.Count);
        Assert.Equal(new[] { garbage, bad }.Order(StringComparer.Ordinal), lenient.Skipped.Order(StringComparer.Ordinal));
        Assert.Equal(["Dog", "ant", "cat"], lenient.ClassNames);
        Assert.All(Enumerable.Range(0, lenient.Count), i => lenient.Load(i));
    }
}
