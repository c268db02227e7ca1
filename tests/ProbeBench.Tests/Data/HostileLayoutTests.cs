using System.Diagnostics;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

/// <summary>
/// The published layouts' split, label and class files with repeated or malformed lines: each is built here in its
/// published place, one file spoiled, and must end in the one sentence naming the file, the line and the key (line
/// numbers count blank lines, as an editor shows them). <c>|</c> separates lines in the inline data.
/// </summary>
public sealed class HostileLayoutTests
{
    private static readonly DatasetCatalog Catalog = DatasetCatalog.LoadDefault();

    private static string Write(TempDirectory dir, string relative, string content)
    {
        var path = dir.File(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace('|', '\n') + "\n");
        return path;
    }

    private static void Images(TempDirectory dir, string folder, params string[] names)
    {
        foreach (var name in names) Write(dir, $"{folder}/{name}", "not decoded at open");
    }

    private static string Refused(string dataset, TempDirectory dir, string split = "train") =>
        Assert.Throws<ProbeBenchException>(() => DatasetFormats.Open(Catalog.Get(dataset), dir.Path, split)).Message;

    /// <summary>The message with <c>{file}</c> replaced by the full path of <paramref name="relative"/>.</summary>
    private static string Expected(TempDirectory dir, string relative, string message) =>
        message.Replace("{file}", dir.File(relative.Split('/'))).Replace("{dir}", dir.Path);

    private static void Cub(TempDirectory dir)
    {
        Write(dir, "classes.txt", "1 001.Black_footed_Albatross|2 002.Laysan_Albatross");
        Write(dir, "images.txt", "1 001.Black_footed_Albatross/a.jpg|2 002.Laysan_Albatross/b.jpg|3 001.Black_footed_Albatross/c.jpg");
        Write(dir, "image_class_labels.txt", "1 1|2 2|3 1");
        Write(dir, "train_test_split.txt", "1 1|2 1|3 0");
        Images(dir, "images", "001.Black_footed_Albatross/a.jpg", "002.Laysan_Albatross/b.jpg", "001.Black_footed_Albatross/c.jpg");
    }

    [Theory]
    [InlineData("images.txt", "1 001.Black_footed_Albatross/a.jpg||2 002.Laysan_Albatross/b.jpg|1 001.Black_footed_Albatross/c.jpg", "{file}: line 4 repeats the image id '1' of line 1.")]
    [InlineData("images.txt", "1 001.Black_footed_Albatross/a.jpg|2 001.Black_footed_Albatross/a.jpg", "{file}: line 2 repeats the image path '001.Black_footed_Albatross/a.jpg' of line 1.")]
    [InlineData("images.txt", "1 001.Black_footed_Albatross/a.jpg|2 001.Black_footed_Albatross//a.jpg", "{file}: line 2 repeats the image path '001.Black_footed_Albatross/a.jpg' of line 1.")]
    [InlineData("images.txt", "1 a.jpg|2", "{file}: line 2 '2' is not '<id> <value>'.")]
    [InlineData("image_class_labels.txt", "1 1|2 2|2 1", "{file}: line 3 repeats the image id '2' of line 2.")]
    [InlineData("image_class_labels.txt", "1 1||2 two|3 1", "{file}: line 3 has 'two' where a whole number belongs.")]
    [InlineData("image_class_labels.txt", "1 1|2 9|3 1", "{file}: line 2 gives image 2 class 9; classes.txt has 1..2.")]
    [InlineData("train_test_split.txt", "1 1|2 1|1 0", "{file}: line 3 repeats the image id '1' of line 1.")]
    [InlineData("train_test_split.txt", "1 1|2 yes|3 0", "{file}: line 2 has 'yes' for image 2; expected 1 (train) or 0 (test).")]
    [InlineData("train_test_split.txt", "1 1|4 1", "{file}: line 2 names image 4, which images.txt lacks.")]
    [InlineData("classes.txt", "1 001.Albatross|2 002.Albatross", "{file}: line 2 repeats the class 'Albatross' of line 1.")]
    [InlineData("classes.txt", "1 001.Black_footed_Albatross|1 002.Laysan_Albatross", "{file}: line 2 repeats the class id '1' of line 1.")]
    [InlineData("classes.txt", "2 002.Laysan_Albatross|1 001.Black_footed_Albatross", "{file}: line 1 has class id '2' where 1 belongs; the ids count 1, 2, 3… in order.")]
    public void Cub200_refuses_repeated_and_malformed_lines(string file, string content, string message)
    {
        using var dir = new TempDirectory();
        Cub(dir);
        Write(dir, file, content);
        Assert.Equal(Expected(dir, file, message), Refused("cub200", dir));
    }

    private static void Dtd(TempDirectory dir)
    {
        Write(dir, "labels/train1.txt", "banded/banded_0001.jpg|zigzagged/zigzagged_0001.jpg");
        Write(dir, "labels/val1.txt", "banded/banded_0002.jpg");
        Write(dir, "labels/test1.txt", "zigzagged/zigzagged_0002.jpg");
    }

    [Theory]
    [InlineData("labels/train1.txt", "banded/banded_0001.jpg|banded/banded_0001.jpg", "{file}: line 2 repeats the image 'banded/banded_0001.jpg' of line 1.")]
    [InlineData("labels/val1.txt", "banded/banded_0001.jpg", "{file}: line 1 repeats the image 'banded/banded_0001.jpg' of line 1 in {dir}/labels/train1.txt.")]
    [InlineData("labels/test1.txt", "|zigzagged/zigzagged_0001.jpg", "{file}: line 2 repeats the image 'zigzagged/zigzagged_0001.jpg' of line 2 in {dir}/labels/train1.txt.")]
    [InlineData("labels/test1.txt", "zigzagged//zigzagged_0001.jpg", "{file}: line 1 repeats the image 'zigzagged/zigzagged_0001.jpg' of line 2 in {dir}/labels/train1.txt.")]
    [InlineData("labels/train1.txt", "banded_0001.jpg", "{file}: line 1 'banded_0001.jpg' is not '<class>/<image>.jpg'.")]
    [InlineData("labels/train1.txt", "banded/", "{file}: line 1 'banded/' is not '<class>/<image>.jpg'.")]
    public void Dtd_refuses_an_image_listed_twice_in_its_partition(string file, string content, string message)
    {
        using var dir = new TempDirectory();
        Dtd(dir);
        Write(dir, file, content);
        Assert.Equal(Expected(dir, file, message), Refused("dtd", dir));
    }

    [Theory]
    [InlineData("data/variants.txt", "707-320|A300B4|707-320", "{file}: line 3 repeats the variant '707-320' of line 1.")]
    [InlineData("data/images_variant_trainval.txt", "1025794 A300B4|1025794 707-320", "{file}: line 2 repeats the image id '1025794' of line 1.")]
    [InlineData("data/images_variant_trainval.txt", "1025794 A300B4|1340192 747", "{file}: line 2 '1340192 747' is not an image id and a variant from variants.txt.")]
    public void Fgvc_aircraft_refuses_a_repeated_variant_or_image(string file, string content, string message)
    {
        using var dir = new TempDirectory();
        Write(dir, "data/variants.txt", "707-320|A300B4");
        Write(dir, "data/images_variant_trainval.txt", "1025794 A300B4|1340192 707-320");
        Write(dir, file, content);
        Assert.Equal(Expected(dir, file, message), Refused("fgvc-aircraft", dir));
    }

    [Theory]
    [InlineData("SUN397/ClassName.txt", "/a/abbey|/b/abbey", "{file}: line 2 repeats the class 'abbey' of line 1.")]
    [InlineData("SUN397/ClassName.txt", "/a/abbey|apse", "{file}: line 2 'apse' is not '/x/name'.")]
    [InlineData("Training_01.txt", "/a/abbey/sun_aa.jpg|/a/abbey//sun_aa.jpg", "{file}: line 2 repeats the image 'a/abbey/sun_aa.jpg' of line 1.")]
    [InlineData("Training_01.txt", "/a/apse/sun_ba.jpg", "{file}: line 1 is in the class 'apse', which ClassName.txt lacks.")]
    public void Sun397_refuses_a_repeated_class_or_image(string file, string content, string message)
    {
        using var dir = new TempDirectory();
        Write(dir, "SUN397/ClassName.txt", "/a/abbey|/a/apse/indoor");
        Write(dir, "Training_01.txt", "/a/abbey/sun_aa.jpg|/a/apse/indoor/sun_ba.jpg");
        Write(dir, file, content);
        Assert.Equal(Expected(dir, file, message), Refused("sun397", dir));
    }

    private static void Voc2007(TempDirectory dir)
    {
        Write(dir, "ImageSets/Main/trainval.txt", "000005|000007");
        foreach (var c in Core.Data.Layouts.Voc2007Layout.Classes) Write(dir, $"ImageSets/Main/{c}_trainval.txt", "000005 -1|000007  1");
        Images(dir, "JPEGImages", "000005.jpg", "000007.jpg");
    }

    [Theory]
    [InlineData("ImageSets/Main/trainval.txt", "000005|000007||000005", "{file}: line 4 repeats the image id '000005' of line 1.")]
    [InlineData("ImageSets/Main/trainval.txt", "000005 000007", "{file}: line 1 '000005 000007' is not one image id.")]
    [InlineData("ImageSets/Main/dog_trainval.txt", "000005 -1|000007  1|000005  1", "{file}: line 3 repeats the image id '000005' of line 1.")]
    public void Voc2007_refuses_an_image_listed_twice(string file, string content, string message)
    {
        using var dir = new TempDirectory();
        Voc2007(dir);
        Write(dir, file, content);
        Assert.Equal(Expected(dir, file, message), Refused("voc2007", dir));
    }

    [Theory]
    [InlineData("annotations/trainval.txt", "Abyssinian_1 1 1 1|american_bulldog_2 2 2 1|Abyssinian_1 1 1 1", "{file}: line 3 repeats the image 'Abyssinian_1' of line 1.")]
    [InlineData("annotations/test.txt", "Abyssinian_1 1 1 1", "{file}: line 1 repeats the image 'Abyssinian_1' of line 1 in {dir}/annotations/trainval.txt.")]
    [InlineData("annotations/trainval.txt", "Abyssinian_1 1 1 1|Bengal_2 1 1 1", "{file}: line 2 makes class 1 the breed 'Bengal', but line 1 made it 'Abyssinian'.")]
    [InlineData("annotations/trainval.txt", "Abyssinian_1 1 1 1|abyssinian_2 2 1 1", "{file}: line 2 repeats the breed 'Abyssinian' of line 1.")]
    [InlineData("annotations/trainval.txt", "Abyssinian_1 0 1 1", "{file}: line 1 has class id 0; class ids start at 1.")]
    public void Oxford_pets_refuses_a_repeated_image_or_a_class_with_two_breeds(string file, string content, string message)
    {
        using var dir = new TempDirectory();
        Write(dir, "annotations/trainval.txt", "Abyssinian_1 1 1 1|american_bulldog_2 2 2 1");
        Write(dir, "annotations/test.txt", "Abyssinian_3 1 1 1");
        Write(dir, file, content);
        Assert.Equal(Expected(dir, file, message), Refused("oxford-pets", dir));
    }

    [Theory]
    [InlineData("Filename;ClassId|00000.ppm;2||00000.ppm;0", "{file}: line 4 repeats the image '00000.ppm' of line 2.")]
    [InlineData("Filename;ClassId|00000.ppm;43", "{file}: line 2 has ClassId 43, outside 0..42.")]
    [InlineData("Filename;ClassId|00000.ppm;-1", "{file}: line 2 has ClassId -1, outside 0..42.")]
    [InlineData("Filename;ClassId|00000.ppm;99999999999", "{file}: line 2 has '99999999999' where a whole number belongs.")]
    [InlineData("Filename;ClassId|00000.ppm", "{file}: line 2 has 1 fields.")]
    public void Gtsrb_refuses_a_repeated_or_malformed_test_line(string content, string message)
    {
        using var dir = new TempDirectory();
        Write(dir, "GT-final_test.csv", content);
        Assert.Equal(Expected(dir, "GT-final_test.csv", message), Refused("gtsrb", dir, "test"));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("00043")]
    [InlineData("+0001")]
    public void Gtsrb_refuses_a_training_folder_that_is_not_a_five_digit_class(string name)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("GTSRB", "Training", "00000"));
        Directory.CreateDirectory(dir.File("GTSRB", "Training", name));
        Assert.Equal($"{dir.File("GTSRB", "Training", name)} is not a GTSRB class folder (00000…00042).", Refused("gtsrb", dir));
    }

    [Theory]
    [InlineData("""{"a_dish": ["a_dish/1"], "a_dish": ["a_dish/2"]}""", "{file}: key 2 repeats the class 'a_dish' of key 1.")]
    [InlineData("""{"a_dish": ["a_dish/1", "a_dish/1"]}""", "{file}: item 2 of 'a_dish' repeats the image 'a_dish/1' of item 1 of 'a_dish'.")]
    [InlineData("""{"a_dish": ["a_dish/1"], "b_dish": ["a_dish/1"]}""", "{file}: item 1 of 'b_dish' repeats the image 'a_dish/1' of item 1 of 'a_dish'.")]
    [InlineData("""{"a_dish": null}""", "{file}: key 1 ('a_dish') maps to Null, not a list of images.")]
    [InlineData("""{"a_dish": ["a_dish/1", null]}""", "{file}: item 2 of 'a_dish' is Null, not an image name.")]
    [InlineData("""{"a\ndish": ["x"], "a\ndish": ["y"]}""", "{file}: key 2 repeats the class 'a\\u000adish' of key 1.")]
    [InlineData("""["a_dish/1"]""", "{file} is not the Food-101 split file (a JSON object of class → image list): the top level is Array, not an object")]
    public void Food101_refuses_a_repeated_class_or_image_and_null_lists(string json, string message)
    {
        using var dir = new TempDirectory();
        Write(dir, "meta/train.json", json);
        Assert.Equal(Expected(dir, "meta/train.json", message), Refused("food101", dir));
    }

    [Fact]
    public void Food101_json_errors_give_the_line_of_the_file_as_written()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "meta/train.json", "{\n\n  \"a_dish\": [\"a_dish/1\",]\n}");
        Assert.StartsWith($"{path} is not the Food-101 split file", Refused("food101", dir));
        Assert.Contains("LineNumber: 2", Refused("food101", dir)); // 0-based in System.Text.Json: the third line
    }

    [Fact]
    public void Imagenet_refuses_a_repeated_wnid_or_id_and_an_empty_field_in_meta_mat()
    {
        using var dir = new TempDirectory();
        var meta = dir.File("ILSVRC2012_devkit_t12", "data", "meta.mat");
        Directory.CreateDirectory(Path.GetDirectoryName(meta)!);
        MatValue[] Synset(MatValue id, string wnid, MatValue children) => [id, new MatText(wnid), new MatText("words"), children];
        string RefusedWith(params MatValue[][] synsets)
        {
            File.WriteAllBytes(meta, MatFileWriter.Write(false, ("synsets", new MatStruct(["ILSVRC2012_ID", "WNID", "words", "num_children"], synsets))));
            return Refused("imagenet", dir);
        }
        var none = MatNumbers.Row(0);
        Assert.Equal($"{meta}: synsets(2) repeats the WNID 'n01440764' of synsets(1).",
            RefusedWith(Synset(MatNumbers.Row(1), "n01440764", none), Synset(MatNumbers.Row(2), "n01440764", none)));
        Assert.Equal($"{meta}: synsets(3) repeats the ILSVRC2012_ID '1' of synsets(1).",
            RefusedWith(Synset(MatNumbers.Row(1), "n01440764", none), Synset(MatNumbers.Row(1001), "n0", MatNumbers.Row(2)), Synset(MatNumbers.Row(1), "n01443537", none)));
        Assert.Equal($"{meta}: MAT variable 'synsets(1).num_children' has 0 elements where one whole number in 0..2147483647 belongs.",
            RefusedWith(Synset(MatNumbers.Row(1), "n01440764", new MatNumbers([0, 0], []))));
        Assert.Equal($"{meta}: MAT variable 'synsets(1).ILSVRC2012_ID' has 1.5 at element 1, not a whole number in 1..2147483647.",
            RefusedWith(Synset(MatNumbers.Row(1.5), "n01440764", none)));
    }

    [Fact]
    public void Stanford_cars_refuses_an_empty_class_field_and_repeated_names_or_images()
    {
        using var dir = new TempDirectory();
        var meta = dir.File("devkit", "cars_meta.mat");
        var annotations = dir.File("devkit", "cars_train_annos.mat");
        Directory.CreateDirectory(dir.File("devkit"));
        void Files(string[] names, params (MatValue Class, string File)[] rows)
        {
            File.WriteAllBytes(meta, MatFileWriter.Write(false, ("class_names", new MatCell(names.Select(n => (MatValue)new MatText(n)).ToArray()))));
            File.WriteAllBytes(annotations, MatFileWriter.Write(true, ("annotations", new MatStruct(["class", "fname"],
                rows.Select(r => new MatValue[] { r.Class, new MatText(r.File) }).ToArray()))));
        }
        Files(["Hummer", "Acura"], (MatNumbers.Row(1), "00001.jpg"), (new MatNumbers([0, 0], []), "00002.jpg"));
        Assert.Equal($"{annotations}: MAT variable 'annotations(2).class' has 0 elements where one whole number in 1..2 belongs.", Refused("stanford-cars", dir));
        Files(["Hummer", "Acura"], (MatNumbers.Row(1), "00001.jpg"), (MatNumbers.Row(1, 2), "00002.jpg"));
        Assert.Equal($"{annotations}: MAT variable 'annotations(2).class' has 2 elements where one whole number in 1..2 belongs.", Refused("stanford-cars", dir));
        Files(["Hummer", "Acura"], (MatNumbers.Row(1), "00001.jpg"), (MatNumbers.Row(2), "00001.jpg"));
        Assert.Equal($"{annotations}: annotations(2) repeats the image '00001.jpg' of annotations(1).", Refused("stanford-cars", dir));
        Files(["Hummer", "Hummer"], (MatNumbers.Row(1), "00001.jpg"));
        Assert.Equal($"{meta}: class_names{{2}} repeats the class name 'Hummer' of class_names{{1}}.", Refused("stanford-cars", dir));
    }

    [Fact]
    public void Flowers102_refuses_an_image_in_both_train_lists()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("imagelabels.mat"), MatFileWriter.Write(true, ("labels", new MatNumbers([1, 3], [1, 2, 1], MatStorage.UInt8))));
        var setid = dir.File("setid.mat");
        File.WriteAllBytes(setid, MatFileWriter.Write(false, ("trnid", MatNumbers.Row(1, 2)), ("valid", MatNumbers.Row(2)), ("tstid", MatNumbers.Row(3))));
        Assert.Equal($"{setid}: valid(1) repeats the image id '2' of trnid(2).", Refused("flowers102", dir));
    }

    [Fact]
    public void Voc2012_segmentation_refuses_a_repeated_image_id()
    {
        using var dir = new TempDirectory();
        var list = Write(dir, "ImageSets/Segmentation/train.txt", "2007_000032|2007_000039|2007_000032");
        Assert.Equal($"{list}: line 3 repeats the image id '2007_000032' of line 1.", Refused("voc2012-seg", dir));
    }

    [Fact]
    public void Class_name_files_refuse_a_repeated_name()
    {
        using var dir = new TempDirectory();
        var classes = Write(dir, "seg/classes.txt", "sky|road|sky");
        Directory.CreateDirectory(dir.File("seg", "train", "rgb"));
        Directory.CreateDirectory(dir.File("seg", "train", "label"));
        Assert.Equal($"{classes}: line 3 repeats the class name 'sky' of line 1.",
            Assert.Throws<ProbeBenchException>(() => DenseFolders.Open(dir.File("seg"), "train")).Message);

        var cifar = SyntheticCifarWriter.Write(dir.Path, CifarLayout.Cifar10, trainPerFile: 2, testCount: 2, seed: 1);
        var names = Path.Combine(cifar, CifarLayout.Cifar10.ClassNamesFile);
        File.WriteAllLines(names, ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "cat"]);
        Assert.Equal($"{names}: line 10 repeats the class name 'cat' of line 4.",
            Assert.Throws<ProbeBenchException>(() => CifarDataset.Open(CifarLayout.Cifar10, cifar, "test")).Message);
    }

    [Fact]
    public void A_split_file_above_the_size_limit_is_refused_unread()
    {
        using var dir = new TempDirectory();
        var path = dir.File("classes.txt");
        using (var file = File.Create(path)) file.SetLength(DataFiles.MaxTextBytes + 1); // sparse: no disk used
        Assert.Equal($"cub200: {path} holds {DataFiles.MaxTextBytes + 1} bytes, more than the {DataFiles.MaxTextBytes} bytes ProbeBench reads from a split or annotation file.",
            Refused("cub200", dir));
    }

    [Fact]
    public void A_fifo_in_place_of_a_split_file_or_binary_batch_is_an_error_not_a_hang()
    {
        using var dir = new TempDirectory();
        var split = dir.File("classes.txt");
        Process.Start("mkfifo", split)!.WaitForExit();
        Assert.Equal($"cub200: {split} is not a regular file (a FIFO, socket or device); download the dataset (probebench datasets download cub200) or point --dataset-path at it.",
            Refused("cub200", dir));

        var cifar = SyntheticCifarWriter.Write(dir.Path, CifarLayout.Cifar10, trainPerFile: 2, testCount: 2, seed: 1);
        var batch = Path.Combine(cifar, "test_batch.bin");
        File.Delete(batch);
        Process.Start("mkfifo", batch)!.WaitForExit();
        Assert.StartsWith($"cifar10: {batch} is not a regular file",
            Assert.Throws<ProbeBenchException>(() => CifarDataset.Open(CifarLayout.Cifar10, cifar, "test")).Message);

        Directory.CreateDirectory(dir.File("mnist"));
        var idx = dir.File("mnist", "t10k-images-idx3-ubyte");
        Process.Start("mkfifo", idx)!.WaitForExit();
        Assert.StartsWith($"mnist: {idx} is not a regular file",
            Assert.Throws<ProbeBenchException>(() => DatasetFormats.Open(Catalog.Get("mnist"), dir.File("mnist"), "test")).Message);
    }
}
