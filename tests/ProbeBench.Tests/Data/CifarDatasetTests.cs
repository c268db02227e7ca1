using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class CifarDatasetTests
{
    /// <summary>A record whose R, G, B planes are distinguishable: R = (p + k) mod 256, G = 255 - R, B = k.</summary>
    private static byte[] Record(int labelBytes, byte[] labels, int k)
    {
        var record = new byte[labelBytes + 3072];
        labels.CopyTo(record, 0);
        for (var p = 0; p < 1024; p++)
        {
            record[labelBytes + p] = (byte)((p + k) % 256);
            record[labelBytes + 1024 + p] = (byte)(255 - (p + k) % 256);
            record[labelBytes + 2048 + p] = (byte)k;
        }
        return record;
    }

    private static string WriteCifar10(TempDirectory dir, int perFile = 3)
    {
        var folder = Directory.CreateDirectory(dir.File("cifar-10-batches-bin")).FullName;
        var k = 0;
        foreach (var file in CifarLayout.Cifar10.TrainFiles.Concat(CifarLayout.Cifar10.TestFiles))
            File.WriteAllBytes(Path.Combine(folder, file), Enumerable.Range(0, perFile).SelectMany(_ => Record(1, [(byte)(k % 10)], k++)).ToArray());
        File.WriteAllLines(Path.Combine(folder, "batches.meta.txt"), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck", ""]);
        return folder;
    }

    [Fact]
    public void Cifar10_records_become_hwc_images_with_their_labels_in_file_order()
    {
        using var dir = new TempDirectory();
        var folder = WriteCifar10(dir);

        var train = CifarDataset.Open(CifarLayout.Cifar10, folder, "train");
        var test = CifarDataset.Open(CifarLayout.Cifar10, folder, "test");

        Assert.Equal(15, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal("truck", train.ClassNames[9]);
        Assert.Equal(7, train.GetLabel(7));
        var image = train.Load(7);
        Assert.Equal((32, 32), (image.Height, image.Width));
        // Pixel (y=1, x=2) is p = 34: R = 41, G = 214, B = 7.
        var at = (1 * 32 + 2) * 3;
        Assert.Equal(new byte[] { 41, 214, 7 }, image.Pixels[at..(at + 3)]);
        Assert.Equal(15 % 10, test.GetLabel(0));
        Assert.NotEqual(train.Fingerprint, test.Fingerprint);
    }

    [Fact]
    public void Cifar100_reads_fine_or_coarse_labels()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(dir.File("cifar-100-binary")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "train.bin"), [.. Record(2, [3, 71], 0), .. Record(2, [19, 99], 1)]);
        File.WriteAllBytes(Path.Combine(folder, "test.bin"), Record(2, [0, 5], 2));
        File.WriteAllLines(Path.Combine(folder, "fine_label_names.txt"), Enumerable.Range(0, 100).Select(i => $"fine{i}"));
        File.WriteAllLines(Path.Combine(folder, "coarse_label_names.txt"), Enumerable.Range(0, 20).Select(i => $"coarse{i}"));

        var fine = CifarDataset.Open(CifarLayout.Cifar100, folder, "train");
        var coarse = CifarDataset.Open(CifarLayout.Cifar100Coarse, folder, "train");

        Assert.Equal([71, 99], new[] { fine.GetLabel(0), fine.GetLabel(1) });
        Assert.Equal([3, 19], new[] { coarse.GetLabel(0), coarse.GetLabel(1) });
        Assert.Equal(20, coarse.ClassNames.Count);
        Assert.Equal(new byte[] { 1, 254, 1 }, fine.Load(1).Pixels[..3]);
        Assert.NotEqual(fine.Fingerprint, coarse.Fingerprint);
    }

    [Fact]
    public void A_truncated_batch_file_is_named()
    {
        using var dir = new TempDirectory();
        var folder = WriteCifar10(dir);
        var path = Path.Combine(folder, "data_batch_3.bin");
        using (var stream = File.OpenWrite(path)) stream.SetLength(stream.Length - 100);
        var e = Assert.Throws<ProbeBenchException>(() => CifarDataset.Open(CifarLayout.Cifar10, folder, "train"));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a whole number of 3073-byte", e.Message);
    }

    [Fact]
    public void A_label_out_of_range_is_named_with_its_record()
    {
        using var dir = new TempDirectory();
        var folder = WriteCifar10(dir);
        var path = Path.Combine(folder, "test_batch.bin");
        var bytes = File.ReadAllBytes(path);
        bytes[3073] = 12;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ProbeBenchException>(() => CifarDataset.Open(CifarLayout.Cifar10, folder, "test"));
        Assert.Contains($"{path}: record 1 has label 12", e.Message);
    }

    [Fact]
    public void A_missing_file_says_how_to_get_the_dataset()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ProbeBenchException>(() => CifarDataset.Open(CifarLayout.Cifar10, dir.Path, "train"));
        Assert.Contains("data_batch_1.bin is missing", e.Message);
        Assert.Contains("probebench datasets download cifar10", e.Message);
    }

    [Fact]
    public void Stratified_subsets_keep_class_shares_are_seeded_and_sorted()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.Path, CifarLayout.Cifar10, trainPerFile: 40, testCount: 10, seed: 1);
        var train = CifarDataset.Open(CifarLayout.Cifar10, Path.Combine(dir.Path, "cifar-10-batches-bin"), "train");

        var subset = DatasetSubset.Stratified(train, 50, seed: 3)!;
        Assert.Equal(50, subset.Count);
        Assert.Equal(subset.Order(), subset);
        Assert.All(subset.GroupBy(train.GetLabel), g => Assert.Equal(5, g.Count()));
        Assert.Equal(subset, DatasetSubset.Stratified(train, 50, seed: 3));
        Assert.NotEqual(subset, DatasetSubset.Stratified(train, 50, seed: 4));
        Assert.Null(DatasetSubset.Stratified(train, 1000, seed: 3));
    }
}
