using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;
using static ProbeBench.Tests.Data.ArchiveBuilders;

namespace ProbeBench.Tests.Data.Formats;

/// <summary>
/// Every catalog format, from a tiny archive built here in the exact published layout (names, split files, label files):
/// served over HTTP, downloaded, verified by checksum, unpacked, checked against the catalog's counts and class names,
/// and read back split by split.
/// </summary>
public sealed class PublishedLayoutTests
{
    private static Dictionary<string, int> Splits(int train, int test) => new() { ["train"] = train, ["test"] = test };

    private static IImageDataset Read(DatasetCatalogEntry entry, string folder, string split) => DatasetFormats.Open(entry, folder, split);

    private static int[] Labels(IImageDataset data) => Enumerable.Range(0, data.Count).Select(data.GetLabel).ToArray();

    [Fact]
    public async Task Food101_reads_its_json_split_files_with_sorted_class_names()
    {
        var archive = TarGz([
            ("food-101/meta/train.json", Text("""{"b_dish": ["b_dish/1"], "a_dish": ["a_dish/2", "a_dish/3"]}""")),
            ("food-101/meta/test.json", Text("""{"a_dish": ["a_dish/4"], "b_dish": ["b_dish/5"]}""")),
            .. new[] { "b_dish/1", "a_dish/2", "a_dish/3", "a_dish/4", "b_dish/5" }.Select((p, i) => ($"food-101/images/{p}.jpg", Image(i, SkiaSharp.SKEncodedImageFormat.Jpeg))),
        ]);
        using var f = new CatalogFixture(new() { ["food-101.tar.gz"] = archive });
        var entry = f.Entry("food101", Splits(3, 2), ["a_dish", "b_dish"], f.File("food-101.tar.gz"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([0, 0, 1], Labels(Read(entry, folder, "train")));
        Assert.Equal(6, Read(entry, folder, "test").Load(1).Width);
    }

    [Fact]
    public async Task Sun397_reads_partition_1_and_class_names_without_the_letter_folder()
    {
        var images = TarGz([
            ("SUN397/ClassName.txt", Text("/a/abbey", "/a/apse/indoor")),
            ("SUN397/a/abbey/sun_aa.jpg", Image(1)), ("SUN397/a/abbey/sun_ab.jpg", Image(2)),
            ("SUN397/a/apse/indoor/sun_ba.jpg", Image(3)), ("SUN397/a/apse/indoor/sun_bb.jpg", Image(4)),
        ]);
        var partitions = Zip([
            ("Training_01.txt", Text("/a/abbey/sun_aa.jpg", "/a/apse/indoor/sun_ba.jpg")),
            ("Testing_01.txt", Text("/a/abbey/sun_ab.jpg", "/a/apse/indoor/sun_bb.jpg")),
        ]);
        using var f = new CatalogFixture(new() { ["SUN397.tar.gz"] = images, ["Partitions.zip"] = partitions });
        var entry = f.Entry("sun397", Splits(2, 2), ["abbey", "apse/indoor"], f.File("SUN397.tar.gz"), f.File("Partitions.zip"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([0, 1], Labels(Read(entry, folder, "test")));
        Assert.Equal(2, f.Requests);
    }

    [Fact]
    public async Task Stanford_cars_files_brought_by_hand_are_checked_and_read_from_the_mat_annotations()
    {
        var meta = MatFileWriter.Write(false, ("class_names", new MatCell([new MatText("AM General Hummer SUV 2000"), new MatText("Acura RL Sedan 2012")])));
        static MatStruct Annotations(params (int Class, string File)[] rows) => new(["bbox_x1", "bbox_y1", "bbox_x2", "bbox_y2", "class", "fname"],
            rows.Select(r => new MatValue[] { MatNumbers.Row(1), MatNumbers.Row(2), MatNumbers.Row(5), MatNumbers.Row(6), new MatNumbers([1, 1], [r.Class], MatStorage.UInt8), new MatText(r.File) }).ToArray());
        var devkit = TarGz([("devkit/cars_meta.mat", meta), ("devkit/cars_train_annos.mat", MatFileWriter.Write(true, ("annotations", Annotations((2, "00001.jpg"), (1, "00002.jpg")))))]);
        var train = TarGz([("cars_train/00001.jpg", Image(1)), ("cars_train/00002.jpg", Image(2))]);
        var test = TarGz([("cars_test/00001.jpg", Image(3))]);
        var testAnnos = MatFileWriter.Write(false, ("annotations", Annotations((1, "00001.jpg"))));
        using var f = new CatalogFixture(new() { ["car_devkit.tgz"] = devkit, ["cars_train.tgz"] = train, ["cars_test.tgz"] = test, ["cars_test_annos_withlabels.mat"] = testAnnos });
        object Brought(string name, string unpack = "auto") => new { name, md5 = CatalogFixture.Md5(f.Served[name]), unpack };
        var entry = f.Entry("stanford-cars", Splits(2, 1), ["AM General Hummer SUV 2000", "Acura RL Sedan 2012"],
            Brought("car_devkit.tgz"), Brought("cars_train.tgz"), Brought("cars_test.tgz"), Brought("cars_test_annos_withlabels.mat", "none"));

        var missing = await Assert.ThrowsAsync<ProbeBenchException>(() => f.InstallAsync(entry));
        Assert.Contains("cars_train.tgz", missing.Message);
        Assert.Contains(Path.Combine(f.DataRoot, "downloads"), missing.Message);

        Directory.CreateDirectory(Path.Combine(f.DataRoot, "downloads"));
        foreach (var (name, bytes) in f.Served) File.WriteAllBytes(Path.Combine(f.DataRoot, "downloads", name), bytes);
        var folder = await f.InstallAsync(entry);
        Assert.Equal([1, 0], Labels(Read(entry, folder, "train")));
        Assert.Equal([0], Labels(Read(entry, folder, "test")));
        Assert.True(File.Exists(Path.Combine(f.DataRoot, "downloads", "cars_train.tgz"))); // brought by hand: kept
        Assert.Equal(0, f.Requests);
    }

    [Fact]
    public async Task Fgvc_aircraft_reads_the_variant_lists()
    {
        var archive = TarGz([
            ("fgvc-aircraft-2013b/data/variants.txt", Text("707-320", "A300B4")),
            ("fgvc-aircraft-2013b/data/images_variant_trainval.txt", Text("1025794 A300B4", "1340192 707-320")),
            ("fgvc-aircraft-2013b/data/images_variant_test.txt", Text("0056978 707-320")),
            ("fgvc-aircraft-2013b/data/images/1025794.jpg", Image(1)), ("fgvc-aircraft-2013b/data/images/1340192.jpg", Image(2)),
            ("fgvc-aircraft-2013b/data/images/0056978.jpg", Image(3)),
        ]);
        using var f = new CatalogFixture(new() { ["fgvc-aircraft-2013b.tar.gz"] = archive });
        var entry = f.Entry("fgvc-aircraft", Splits(2, 1), ["707-320", "A300B4"], f.File("fgvc-aircraft-2013b.tar.gz"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([1, 0], Labels(Read(entry, folder, "train")));
    }

    [Fact]
    public async Task Voc2007_merges_its_two_tars_and_reads_multi_label_targets_with_difficult_marks()
    {
        var f = new CatalogFixture(Voc2007Archives());
        using (f)
        {
            var entry = f.Entry("voc2007", Splits(2, 2), Core.Data.Layouts.Voc2007Layout.Classes.ToList(),
                f.File("VOCtrainval_06-Nov-2007.tar"), f.File("VOCtest_06-Nov-2007.tar"));
            var folder = await f.InstallAsync(entry);
            var train = (IMultiLabelDataset)Read(entry, folder, "train");
            Assert.Equal(1, train.GetTargets(0)[14]);      // 000005: person present
            Assert.Equal(0, train.GetTargets(0)[8]);       // 000005: chair difficult
            Assert.Equal(-1, train.GetTargets(1)[0]);
            Assert.Equal(14, ((IImageDataset)train).GetLabel(0)); // first present class stratifies
            Assert.True(train.IsMultiLabel);
        }
    }

    /// <summary>VOC 2007's two tars: trainval (000005, 000007) and test (000001, 000002), every class file present.</summary>
    internal static Dictionary<string, byte[]> Voc2007Archives()
    {
        (string, byte[])[] Set(string set, string[] ids, Func<string, int, int> target)
        {
            var files = new List<(string, byte[])> { ($"VOCdevkit/VOC2007/ImageSets/Main/{set}.txt", Text(ids)) };
            var classes = Core.Data.Layouts.Voc2007Layout.Classes;
            for (var c = 0; c < classes.Count; c++)
                files.Add(($"VOCdevkit/VOC2007/ImageSets/Main/{classes[c]}_{set}.txt", Text(ids.Select(id => $"{id} {(target(id, c) == 1 ? " 1" : target(id, c).ToString())}").ToArray())));
            files.AddRange(ids.Select((id, i) => ($"VOCdevkit/VOC2007/JPEGImages/{id}.jpg", Image(i + set.Length))));
            return files.ToArray();
        }
        // 000005: person (14) and a difficult chair (8); 000007: car (6); test 000001: dog (11) + person; 000002: car.
        int Target(string id, int c) => (id, c) switch
        {
            ("000005", 14) or ("000007", 6) or ("000001", 11) or ("000001", 14) or ("000002", 6) => 1,
            ("000005", 8) => 0,
            _ => -1,
        };
        return new()
        {
            ["VOCtrainval_06-Nov-2007.tar"] = Tar(Set("trainval", ["000005", "000007"], Target)),
            ["VOCtest_06-Nov-2007.tar"] = Tar(Set("test", ["000001", "000002"], Target)),
        };
    }

    [Fact]
    public async Task Dtd_trains_on_train1_and_val1_and_tests_on_test1()
    {
        var archive = TarGz([
            ("dtd/labels/train1.txt", Text("banded/banded_0001.jpg", "zigzagged/zigzagged_0001.jpg")),
            ("dtd/labels/val1.txt", Text("banded/banded_0002.jpg")),
            ("dtd/labels/test1.txt", Text("zigzagged/zigzagged_0002.jpg")),
            .. new[] { "banded/banded_0001", "banded/banded_0002", "zigzagged/zigzagged_0001", "zigzagged/zigzagged_0002" }.Select((p, i) => ($"dtd/images/{p}.jpg", Image(i))),
        ]);
        using var f = new CatalogFixture(new() { ["dtd-r1.0.1.tar.gz"] = archive });
        var entry = f.Entry("dtd", Splits(3, 1), ["banded", "zigzagged"], f.File("dtd-r1.0.1.tar.gz"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([0, 1, 0], Labels(Read(entry, folder, "train")));
    }

    [Fact]
    public async Task Oxford_pets_names_classes_from_the_image_names_in_label_order()
    {
        var images = TarGz([("images/Abyssinian_1.jpg", Image(1)), ("images/american_bulldog_2.jpg", Image(2)), ("images/Abyssinian_3.jpg", Image(3))]);
        var annotations = TarGz([
            ("annotations/trainval.txt", Text("Abyssinian_1 1 1 1", "american_bulldog_2 2 2 1")),
            ("annotations/test.txt", Text("Abyssinian_3 1 1 1")),
        ]);
        using var f = new CatalogFixture(new() { ["images.tar.gz"] = images, ["annotations.tar.gz"] = annotations });
        var entry = f.Entry("oxford-pets", Splits(2, 1), ["Abyssinian", "American Bulldog"], f.File("images.tar.gz"), f.File("annotations.tar.gz"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([0, 1], Labels(Read(entry, folder, "train")));
    }

    [Fact]
    public async Task Caltech101_comes_out_of_its_container_zip_checked_by_the_inner_archive_and_splits_30_per_class()
    {
        var inner = TarGz([
            .. Enumerable.Range(1, 31).Select(i => ($"101_ObjectCategories/Faces/image_{i:0000}.jpg", Image(i))),
            .. Enumerable.Range(1, 33).Select(i => ($"101_ObjectCategories/accordion/image_{i:0000}.jpg", Image(i + 40))),
            ("101_ObjectCategories/BACKGROUND_Google/image_0001.jpg", Image(99)),
        ]);
        var container = Zip([("caltech-101/101_ObjectCategories.tar.gz", inner), ("caltech-101/show_annotation.m", Text("%"))]);
        using var f = new CatalogFixture(new() { ["caltech-101.zip"] = container });
        var file = new { name = "101_ObjectCategories.tar.gz", url = f.Url("caltech-101.zip"), member = "caltech-101/101_ObjectCategories.tar.gz", md5 = CatalogFixture.Md5(inner) };
        var entry = f.Entry("caltech101", Splits(60, 4), ["Faces", "accordion"], file);
        var folder = await f.InstallAsync(entry);
        Assert.Equal(4, Read(entry, folder, "test").Count);
        Assert.False(File.Exists(Path.Combine(f.DataRoot, "downloads", "container-caltech-101.zip")));
    }

    [Fact]
    public async Task Flowers102_reads_compressed_and_plain_mat_labels_and_set_ids()
    {
        var archive = TarGz(Enumerable.Range(1, 4).Select(i => ($"jpg/image_{i:00000}.jpg", Image(i))));
        var labels = MatFileWriter.Write(true, ("labels", new MatNumbers([1, 4], [2, 1, 2, 1], MatStorage.UInt8)));
        var setid = MatFileWriter.Write(false, ("trnid", MatNumbers.Row(1)), ("valid", MatNumbers.Row(2)), ("tstid", new MatNumbers([1, 2], [3, 4], MatStorage.UInt16)));
        using var f = new CatalogFixture(new() { ["102flowers.tgz"] = archive, ["imagelabels.mat"] = labels, ["setid.mat"] = setid });
        var entry = f.Entry("flowers102", Splits(2, 2), ["pink primrose", "hard-leaved pocket orchid"],
            f.File("102flowers.tgz"), f.File("imagelabels.mat", "none"), f.File("setid.mat", "none"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([1, 0], Labels(Read(entry, folder, "train")));
        Assert.Equal([1, 0], Labels(Read(entry, folder, "test")));
    }

    [Fact]
    public async Task Cub200_reads_its_id_files()
    {
        var archive = TarGz([
            ("CUB_200_2011/images.txt", Text("1 001.Black_footed_Albatross/a.jpg", "2 002.Laysan_Albatross/b.jpg", "3 001.Black_footed_Albatross/c.jpg")),
            ("CUB_200_2011/image_class_labels.txt", Text("1 1", "2 2", "3 1")),
            ("CUB_200_2011/train_test_split.txt", Text("1 1", "2 1", "3 0")),
            ("CUB_200_2011/classes.txt", Text("1 001.Black_footed_Albatross", "2 002.Laysan_Albatross")),
            ("CUB_200_2011/images/001.Black_footed_Albatross/a.jpg", Image(1)), ("CUB_200_2011/images/002.Laysan_Albatross/b.jpg", Image(2)),
            ("CUB_200_2011/images/001.Black_footed_Albatross/c.jpg", Image(3)), ("attributes.txt", Text("outside the root")),
        ]);
        using var f = new CatalogFixture(new() { ["CUB_200_2011.tgz"] = archive });
        var entry = f.Entry("cub200", Splits(2, 1), ["Black_footed_Albatross", "Laysan_Albatross"], f.File("CUB_200_2011.tgz"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([0, 1], Labels(Read(entry, folder, "train")));
    }

    [Fact]
    public async Task Svhn_reads_matlab_column_major_pixels_and_maps_label_10_to_digit_0()
    {
        byte[] Mat(int n, int seed)
        {
            var x = new double[32 * 32 * 3 * n];
            for (var i = 0; i < x.Length; i++) x[i] = (i * 7 + seed) % 251;
            return MatFileWriter.Write(false, ("X", new MatNumbers([32, 32, 3, n], x, MatStorage.UInt8)), ("y", new MatNumbers([n, 1], Enumerable.Range(0, n).Select(i => (double)(i % 2 == 0 ? 10 : 3)).ToArray())));
        }
        using var f = new CatalogFixture(new() { ["train_32x32.mat"] = Mat(3, 1), ["test_32x32.mat"] = Mat(2, 2) });
        var entry = f.Entry("svhn", Splits(3, 2), Enumerable.Range(0, 10).Select(i => i.ToString()).ToList(), f.File("train_32x32.mat", "none"), f.File("test_32x32.mat", "none"));
        var folder = await f.InstallAsync(entry);
        var train = Read(entry, folder, "train");
        Assert.Equal([0, 3, 0], Labels(train));
        // HWC (h=2, w=5, c=1) of image 1 is MATLAB's X(h, w, c, n) at h + 32 w + 1024 c + 3072 n.
        Assert.Equal((byte)((2 + 32 * 5 + 1024 * 1 + 3072 * 1) * 7 % 251 + 1), train.Load(1).Pixels[(2 * 32 + 5) * 3 + 1]);
    }

    [Fact]
    public async Task Eurosat_puts_every_fifth_image_of_a_class_in_test()
    {
        var archive = Zip([
            .. Enumerable.Range(1, 5).Select(i => ($"2750/AnnualCrop/AnnualCrop_{i}.jpg", Image(i))),
            .. Enumerable.Range(1, 5).Select(i => ($"2750/Forest/Forest_{i}.jpg", Image(i + 10))),
        ]);
        using var f = new CatalogFixture(new() { ["EuroSAT.zip"] = archive });
        var entry = f.Entry("eurosat", Splits(8, 2), ["AnnualCrop", "Forest"], f.File("EuroSAT.zip"));
        var folder = await f.InstallAsync(entry);
        var test = (ImageListDataset)Read(entry, folder, "test");
        Assert.Equal(["AnnualCrop_5.jpg", "Forest_5.jpg"], Enumerable.Range(0, 2).Select(i => Path.GetFileName(test.PathOf(i))));
    }

    [Fact]
    public async Task Mnist_idx_files_are_gunzipped_and_read_as_grey_replicated_to_rgb()
    {
        static byte[] Idx(byte rank, int[] dims, byte[] data) =>
            [0, 0, 8, rank, .. dims.SelectMany(d => BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(d))), .. data];
        var files = new Dictionary<string, byte[]>
        {
            ["train-images-idx3-ubyte.gz"] = Gzip(Idx(3, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
            ["train-labels-idx1-ubyte.gz"] = Gzip(Idx(1, [2], [7, 1])),
            ["t10k-images-idx3-ubyte.gz"] = Gzip(Idx(3, [1, 2, 3], [9, 9, 9, 9, 9, 9])),
            ["t10k-labels-idx1-ubyte.gz"] = Gzip(Idx(1, [1], [3])),
        };
        using var f = new CatalogFixture(files);
        var entry = f.Entry("mnist", Splits(2, 1), Enumerable.Range(0, 10).Select(i => $"{i}").ToList(), files.Keys.Select(k => f.File(k)).ToArray());
        var folder = await f.InstallAsync(entry);
        var train = Read(entry, folder, "train");
        Assert.Equal([7, 1], Labels(train));
        Assert.Equal([7, 7, 7], train.Load(1).Pixels[..3]);
        Assert.Equal((2, 3), (train.Load(0).Height, train.Load(0).Width));
    }

    [Fact]
    public async Task Gtsrb_reads_ppm_class_folders_and_the_test_csv()
    {
        var training = Zip([("GTSRB/Training/00000/00000_00000.ppm", Ppm(1)), ("GTSRB/Training/00000/GT-00000.csv", Text("x")), ("GTSRB/Training/00002/00000_00000.ppm", Ppm(2))]);
        var testImages = Zip([("GTSRB/Final_Test/Images/00000.ppm", Ppm(3)), ("GTSRB/Final_Test/Images/00001.ppm", Ppm(4))]);
        var truth = Zip([("GT-final_test.csv", Text("Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId", "00000.ppm;5;4;0;0;4;3;2", "00001.ppm;5;4;0;0;4;3;0"))]);
        using var f = new CatalogFixture(new() { ["GTSRB-Training_fixed.zip"] = training, ["GTSRB_Final_Test_Images.zip"] = testImages, ["GTSRB_Final_Test_GT.zip"] = truth });
        var entry = f.Entry("gtsrb", Splits(2, 2), ["00000", "00001", "00002"], f.File("GTSRB-Training_fixed.zip"), f.File("GTSRB_Final_Test_Images.zip"), f.File("GTSRB_Final_Test_GT.zip"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([0, 2], Labels(Read(entry, folder, "train")));
        var test = Read(entry, folder, "test");
        Assert.Equal([2, 0], Labels(test));
        Assert.Equal((byte)(3 + 7), test.Load(0).Pixels[1]);
    }

    [Fact]
    public async Task Imagenet_is_never_downloaded_and_reads_a_flat_val_folder_through_the_devkit()
    {
        using var dir = new TempDirectory();
        foreach (var (wnid, i) in new[] { ("n01440764", 1), ("n01443537", 2) })
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(dir.File("imagenet", "train", wnid)).FullName, $"{wnid}_1.JPEG"), Image(i, SkiaSharp.SKEncodedImageFormat.Jpeg));
        Directory.CreateDirectory(dir.File("imagenet", "val"));
        File.WriteAllBytes(dir.File("imagenet", "val", "ILSVRC2012_val_00000001.JPEG"), Image(3, SkiaSharp.SKEncodedImageFormat.Jpeg));
        File.WriteAllBytes(dir.File("imagenet", "val", "ILSVRC2012_val_00000002.JPEG"), Image(4, SkiaSharp.SKEncodedImageFormat.Jpeg));
        var devkit = Directory.CreateDirectory(dir.File("imagenet", "ILSVRC2012_devkit_t12", "data")).FullName;
        // ILSVRC2012_ID 1 is the second WNID in sorted order (as in the real devkit, IDs do not follow WNID order).
        MatValue[] Synset(int id, string wnid, string words) => [MatNumbers.Row(id), new MatText(wnid), new MatText(words), MatNumbers.Row(0)];
        File.WriteAllBytes(Path.Combine(devkit, "meta.mat"), MatFileWriter.Write(false, ("synsets",
            new MatStruct(["ILSVRC2012_ID", "WNID", "words", "num_children"], [Synset(1, "n01443537", "goldfish"), Synset(2, "n01440764", "tench")]))));
        File.WriteAllLines(Path.Combine(devkit, "ILSVRC2012_validation_ground_truth.txt"), ["1", "2"]);
        var entry = DatasetCatalog.LoadDefault().Get("imagenet");

        var val = DatasetFormats.Open(entry, dir.File("imagenet"), "test");
        Assert.Equal([1, 0], Labels(val));
        Assert.Equal(["tench", "goldfish"], val.ClassNames);
        var refused = await Assert.ThrowsAsync<ProbeBenchException>(() => new DatasetInstaller().EnsureInstalledAsync(entry, dir.File("data")));
        Assert.Contains("never downloaded", refused.Message);
    }
}
