using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

/// <summary>
/// Image ids of list-defined splits (what feature exports name rows by): the path below the folder the publisher's
/// lists name images from, so the same file name in two class folders gives two ids, and flat layouts keep the file name.
/// </summary>
public sealed class ImageListIdTests
{
    private static readonly DatasetCatalog Catalog = DatasetCatalog.LoadDefault();

    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not decoded at open");
    }

    private static string[] Ids(IImageDataset data) => Enumerable.Range(0, data.Count).Select(data.IdOf).ToArray();

    [Fact]
    public void Caltech101_images_of_the_same_name_in_two_classes_get_two_ids()
    {
        using var dir = new TempDirectory();
        foreach (var cls in new[] { "Faces", "accordion" })
            for (var i = 1; i <= Core.Data.Layouts.Caltech101Layout.TrainPerClass + 1; i++) Touch(dir.File(cls, $"image_{i:0000}.jpg"));
        var test = DatasetFormats.Open(Catalog.Get("caltech101"), dir.Path, "test");
        Assert.Equal(["Faces/image_0031.jpg", "accordion/image_0031.jpg"], Ids(test));
    }

    [Fact]
    public void Gtsrb_training_ids_carry_the_class_folder_and_test_ids_stay_file_names()
    {
        using var dir = new TempDirectory();
        Touch(dir.File("GTSRB", "Training", "00000", "00000_00000.ppm"));
        Touch(dir.File("GTSRB", "Training", "00002", "00000_00000.ppm"));
        Touch(dir.File("GTSRB", "Final_Test", "Images", "00000.ppm"));
        File.WriteAllLines(dir.File("GT-final_test.csv"), ["Filename;ClassId", "00000.ppm;2"]);
        var entry = Catalog.Get("gtsrb");
        Assert.Equal(["00000/00000_00000.ppm", "00002/00000_00000.ppm"], Ids(DatasetFormats.Open(entry, dir.Path, "train")));
        Assert.Equal(["00000.ppm"], Ids(DatasetFormats.Open(entry, dir.Path, "test")));
    }

    [Fact]
    public void Cub200_ids_are_the_paths_images_txt_gives()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("classes.txt"), ["1 001.Black_footed_Albatross", "2 002.Laysan_Albatross"]);
        File.WriteAllLines(dir.File("images.txt"), ["1 001.Black_footed_Albatross/a.jpg", "2 002.Laysan_Albatross/a.jpg"]);
        File.WriteAllLines(dir.File("image_class_labels.txt"), ["1 1", "2 2"]);
        File.WriteAllLines(dir.File("train_test_split.txt"), ["1 1", "2 1"]);
        Touch(dir.File("images", "001.Black_footed_Albatross", "a.jpg"));
        Touch(dir.File("images", "002.Laysan_Albatross", "a.jpg"));
        var train = DatasetFormats.Open(Catalog.Get("cub200"), dir.Path, "train");
        Assert.Equal(["001.Black_footed_Albatross/a.jpg", "002.Laysan_Albatross/a.jpg"], Ids(train));
    }

    [Fact]
    public void Flat_layouts_keep_the_file_name_as_id()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("ImageSets", "Main"));
        File.WriteAllLines(dir.File("ImageSets", "Main", "trainval.txt"), ["000005", "000007"]);
        foreach (var c in Core.Data.Layouts.Voc2007Layout.Classes) File.WriteAllLines(dir.File("ImageSets", "Main", $"{c}_trainval.txt"), ["000005 1", "000007 -1"]);
        Touch(dir.File("JPEGImages", "000005.jpg"));
        Touch(dir.File("JPEGImages", "000007.jpg"));
        Assert.Equal(["000005.jpg", "000007.jpg"], Ids(DatasetFormats.Open(Catalog.Get("voc2007"), dir.Path, "train")));
    }

    [Fact]
    public void A_list_naming_one_image_twice_is_refused_so_ids_stay_unique()
    {
        using var dir = new TempDirectory();
        var image = dir.File("a", "x.jpg");
        Touch(image);
        var error = Assert.Throws<ProbeBenchException>(() => ImageListDataset.Create("d", "train", dir.Path, [new(image, 0), new(image, 1)], ["a", "b"]));
        Assert.Equal($"d/train: the image {image} is listed twice.", error.Message);
    }
}
