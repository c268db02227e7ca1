using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Tests.Data;
using ProbeBench.Tests.Data.Formats;
using ProbeBench.Tests.TestSupport;
using static ProbeBench.Tests.Data.ArchiveBuilders;

namespace ProbeBench.Tests.Dense;

/// <summary>
/// The dense datasets in their exact published layouts, built here small: NYU Depth v2's labelled .mat (HDF5 written with
/// PureHDF) and splits.mat served over HTTP without a published checksum (sha256 recorded at first download), PASCAL VOC
/// 2012's tar and ADE20K's zip (checked by md5), the BTS release's folder; each downloaded, verified, unpacked, read back.
/// </summary>
public sealed class DenseDatasetTests
{
    private static Dictionary<string, int> Splits(int train, int test) => new() { ["train"] = train, ["test"] = test };

    private static IDenseDataset Read(DatasetCatalogEntry entry, string folder, string split) => (IDenseDataset)DatasetFormats.Open(entry, folder, split);

    [Fact]
    public async Task Nyu_labelled_mat_and_official_splits_install_with_a_recorded_sha256_and_read_pixels_and_depth_in_place()
    {
        const int height = 6, width = 8;
        var served = new Dictionary<string, byte[]>
        {
            ["nyu_depth_v2_labeled.mat"] = NyuMatBuilder.Labeled(6, height, width),
            ["splits.mat"] = NyuMatBuilder.Splits([1, 3, 4], [2, 6]),
        };
        using var f = new CatalogFixture(served);
        var entry = f.Entry("nyu-depth-v2", Splits(3, 2), ["depth"], f.Unpinned("nyu_depth_v2_labeled.mat"), f.Unpinned("splits.mat"));
        var log = new List<string>();
        var folder = await f.InstallAsync(entry, log.Add);

        Assert.Equal(2, log.Count(l => l.Contains("no published checksum") && l.Contains("recorded at first download")));
        var recorded = DatasetInstaller.RecordedPathOf(entry.Files[0], f.DataRoot);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(served["nyu_depth_v2_labeled.mat"])), File.ReadAllText(recorded).Trim());

        var train = Read(entry, folder, "train");
        Assert.Equal((3, DenseTask.Depth, (height, width)), (train.Count, train.Task, train.FixedLabelSize!.Value));
        var image = train.Load(1); // trainNdxs[1] = 3, 1-based: image 2
        Assert.Equal((height, width), (image.Height, image.Width));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                    Assert.Equal(NyuMatBuilder.Pixel(2, y, x, c), image.Pixels[(y * width + x) * 3 + c]);
        var depth = Read(entry, folder, "test").LoadLabels(1); // testNdxs[1] = 6: image 5
        Assert.Equal(NyuMatBuilder.Depth(5, 4, 3), depth.Values[4 * width + 3]);
    }

    [Fact]
    public async Task A_later_download_unlike_the_recorded_one_is_refused()
    {
        using var first = new CatalogFixture(new() { ["splits.mat"] = NyuMatBuilder.Splits([1], [2]), ["nyu_depth_v2_labeled.mat"] = NyuMatBuilder.Labeled(2, 4, 4) });
        var entry = first.Entry("nyu-depth-v2", Splits(1, 1), ["depth"], first.Unpinned("nyu_depth_v2_labeled.mat"), first.Unpinned("splits.mat"));
        await first.InstallAsync(entry, _ => { });
        Directory.Delete(DatasetInstaller.FolderOf(entry, first.DataRoot), recursive: true);
        // The publisher's file changed (or a mirror served another): the recorded sha256 no longer matches.
        using var second = new CatalogFixture(new() { ["splits.mat"] = NyuMatBuilder.Splits([1], [2]), ["nyu_depth_v2_labeled.mat"] = NyuMatBuilder.Labeled(2, 4, 5) });
        var moved = second.Entry("nyu-depth-v2", Splits(1, 1), ["depth"], second.Unpinned("nyu_depth_v2_labeled.mat"), second.Unpinned("splits.mat"));
        Directory.CreateDirectory(Path.Combine(second.DataRoot, DatasetInstaller.DownloadsFolder));
        foreach (var file in entry.Files)
            File.Copy(DatasetInstaller.RecordedPathOf(file, first.DataRoot), DatasetInstaller.RecordedPathOf(file, second.DataRoot));
        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => second.InstallAsync(moved, _ => { }));
        Assert.Contains("SHA256", error.Message);
        Assert.False(Directory.Exists(DatasetInstaller.FolderOf(moved, second.DataRoot)));
    }

    [Fact]
    public void Nyu_depth_outside_the_eigen_crop_or_the_10_metre_range_is_invalid()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("nyu_depth_v2_labeled.mat"), NyuMatBuilder.Labeled(1, 480, 640, (_, y, x) => x == 300 ? 12f : 3f));
        File.WriteAllBytes(dir.File("splits.mat"), NyuMatBuilder.Splits([1], [1]));
        var entry = DatasetCatalog.LoadDefault().Get("nyu-depth-v2");
        var depth = Read(entry, dir.Path, "test").LoadLabels(0);
        float At(int y, int x) => depth.Values[y * 640 + x];
        Assert.Equal((0f, 0f, 0f, 0f), (At(44, 100), At(471, 100), At(100, 40), At(100, 601)));
        Assert.Equal((3f, 3f, 3f), (At(45, 41), At(470, 600), At(200, 299)));
        Assert.Equal(0f, At(200, 300)); // 12 m is beyond the 10 m of the protocol
    }

    [Fact]
    public void A_mat_file_of_another_shape_or_no_hdf5_at_all_is_one_line_naming_the_file()
    {
        using var dir = new TempDirectory();
        var entry = DatasetCatalog.LoadDefault().Get("nyu-depth-v2");
        File.WriteAllBytes(dir.File("splits.mat"), NyuMatBuilder.Splits([1], [1]));
        File.WriteAllText(dir.File("nyu_depth_v2_labeled.mat"), "MATLAB 7.3 MAT-file, but not really");
        var notHdf5 = Assert.Throws<ProbeBenchException>(() => DatasetFormats.Open(entry, dir.Path, "train"));
        Assert.Contains("nyu_depth_v2_labeled.mat", notHdf5.Message);
        Assert.DoesNotContain("\n", notHdf5.Message);

        var file = new PureHDF.H5File { ["images"] = new byte[1, 3, 4, 4], ["depths"] = new float[1, 5, 4] };
        file.Write(dir.File("nyu_depth_v2_labeled.mat"));
        var shape = Assert.Throws<ProbeBenchException>(() => DatasetFormats.Open(entry, dir.Path, "train"));
        Assert.Contains("N×3×640×480", shape.Message);

        File.WriteAllBytes(dir.File("nyu_depth_v2_labeled.mat"), NyuMatBuilder.Labeled(2, 4, 4));
        File.WriteAllBytes(dir.File("splits.mat"), NyuMatBuilder.Splits([1, 3], [2]));
        Assert.Contains("1..2", Assert.Throws<ProbeBenchException>(() => DatasetFormats.Open(entry, dir.Path, "train")).Message);
    }

    [Fact]
    public async Task Voc2012_segmentation_tar_reads_palette_indices_as_classes_and_val_as_test()
    {
        static byte[] Labels(byte a) => PalettePngWriter.Encode([0, a, 15, 255, 0, 0, a, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 6, 6);
        var tar = Tar([
            ("VOCdevkit/VOC2012/ImageSets/Segmentation/train.txt", Text("2007_000032", "2007_000039")),
            ("VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt", Text("2007_000033")),
            ("VOCdevkit/VOC2012/JPEGImages/2007_000032.jpg", Image(1)), ("VOCdevkit/VOC2012/JPEGImages/2007_000039.jpg", Image(2)),
            ("VOCdevkit/VOC2012/JPEGImages/2007_000033.jpg", Image(3)), ("VOCdevkit/VOC2012/JPEGImages/2008_000001.jpg", Image(4)),
            ("VOCdevkit/VOC2012/SegmentationClass/2007_000032.png", Labels(1)), ("VOCdevkit/VOC2012/SegmentationClass/2007_000039.png", Labels(20)),
            ("VOCdevkit/VOC2012/SegmentationClass/2007_000033.png", Labels(7)),
        ]);
        using var f = new CatalogFixture(new() { ["VOCtrainval_11-May-2012.tar"] = tar });
        var classes = DatasetCatalog.LoadDefault().Get("voc2012-seg").ClassNames;
        var entry = f.Entry("voc2012-seg", Splits(2, 1), classes, f.File("VOCtrainval_11-May-2012.tar"));
        var folder = await f.InstallAsync(entry);

        var train = Read(entry, folder, "train");
        Assert.Equal((2, 21, DenseTask.Segmentation), (train.Count, train.ClassNames.Count, train.Task));
        Assert.Equal([0f, 20f, 15f, 255f], train.LoadLabels(1).Values[..4]);
        var test = Read(entry, folder, "test");
        Assert.Equal((1, 7f), (test.Count, test.LoadLabels(0).Values[1]));
        Assert.Equal((6, 6), test.ImageSize(0));
    }

    [Fact]
    public async Task Ade20k_zip_ignores_label_0_and_moves_the_150_classes_down_by_one()
    {
        var zip = Zip([
            ("ADEChallengeData2016/images/training/ADE_train_00000001.jpg", Image(1, side: 3)),
            ("ADEChallengeData2016/annotations/training/ADE_train_00000001.png", PngWriter.Grey8([0, 1, 150, 7, 0, 0, 0, 0, 0], 3, 3)),
            ("ADEChallengeData2016/images/validation/ADE_val_00000001.jpg", Image(2, side: 3)),
            ("ADEChallengeData2016/annotations/validation/ADE_val_00000001.png", PngWriter.Grey8([2, 2, 2, 2, 2, 2, 2, 2, 2], 3, 3)),
        ]);
        using var f = new CatalogFixture(new() { ["ADEChallengeData2016.zip"] = zip });
        var classes = DatasetCatalog.LoadDefault().Get("ade20k").ClassNames;
        Assert.Equal(150, classes.Count);
        var entry = f.Entry("ade20k", Splits(1, 1), classes, f.File("ADEChallengeData2016.zip"));
        var folder = await f.InstallAsync(entry);
        Assert.Equal([255f, 0f, 149f, 6f], Read(entry, folder, "train").LoadLabels(0).Values[..4]);
        Assert.All(Read(entry, folder, "test").LoadLabels(0).Values, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Bts_release_reads_its_split_files_skips_pairs_without_depth_and_sorts_by_image()
    {
        using var dir = new TempDirectory();
        foreach (var (scene, frame, mm) in new[] { ("kitchen_0028b", 45, (ushort)2500), ("bathroom_0001", 3, (ushort)12000), ("kitchen_0028b", 12, (ushort)900) })
        {
            Directory.CreateDirectory(dir.File(scene));
            ImageFiles.WriteRgb(dir.File(scene, $"rgb_{frame:D5}.jpg"), 4, 3, frame, SkiaSharp.SKEncodedImageFormat.Jpeg);
            File.WriteAllBytes(dir.File(scene, $"sync_depth_{frame:D5}.png"), PngWriter.Grey16(Enumerable.Repeat(mm, 12).ToArray(), 3, 4));
        }
        File.WriteAllLines(dir.File("nyu_train.txt"), [
            "/kitchen_0028b/rgb_00045.jpg /kitchen_0028b/sync_depth_00045.png 518.8579",
            "/bathroom_0001/rgb_00003.jpg None 518.8579",
            "/kitchen_0028b/rgb_00012.jpg /kitchen_0028b/sync_depth_00012.png 518.8579",
        ]);
        File.WriteAllLines(dir.File("nyu_test.txt"), ["/bathroom_0001/rgb_00003.jpg /bathroom_0001/sync_depth_00003.png 518.8579"]);
        var entry = DatasetCatalog.LoadDefault().Get("nyu-depth-v2-bts");

        var train = Read(entry, dir.Path, "train");
        Assert.Equal(2, train.Count);
        Assert.Equal(0.9f, train.LoadLabels(0).Values[0], 6); // kitchen frame 12 sorts before frame 45
        Assert.Equal(2.5f, train.LoadLabels(1).Values[5], 6);
        Assert.All(Read(entry, dir.Path, "test").LoadLabels(0).Values, v => Assert.Equal(0f, v)); // 12 m: beyond 10 m
        Assert.Contains("BTS", train.About);

        File.WriteAllLines(dir.File("nyu_test.txt"), ["/../outside/rgb_1.jpg /x/sync_depth_1.png 1"]);
        Assert.Contains("plain relative path", Assert.Throws<ProbeBenchException>(() => Read(entry, dir.Path, "test")).Message);
    }

    [Fact]
    public void Dense_folders_are_found_by_layout_and_a_class_beyond_classes_txt_is_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        var depthRoot = SyntheticDenseWriter.Write(dir.Path, DenseTask.Depth, 2, 1, 16, seed: 1);
        var segRoot = SyntheticDenseWriter.Write(dir.Path, DenseTask.Segmentation, 2, 1, 16, seed: 1);
        Assert.Equal((DenseTask.Depth, DenseTask.Segmentation, DenseTask.Classification),
            (DenseFolders.Detect(depthRoot), DenseFolders.Detect(segRoot), DenseFolders.Detect(dir.Path)));
        var seg = DenseFolders.Open(segRoot, "train");
        Assert.True(seg.IsSynthetic);
        Assert.Equal(SyntheticDenseWriter.SegmentationClasses, seg.ClassNames);
        var depth = DenseFolders.Open(depthRoot, "test");
        Assert.True(depth.IsSynthetic);
        Assert.InRange(depth.LoadLabels(0).Values.Max(), 1f, 8.001f);

        File.WriteAllBytes(Path.Combine(segRoot, "train", "label", "00000.png"), PngWriter.Grey8(Enumerable.Repeat((byte)9, 16 * 16).ToArray(), 16, 16));
        var error = Assert.Throws<ProbeBenchException>(() => DenseFolders.Open(segRoot, "train").LoadLabels(0));
        Assert.Contains("00000.png", error.Message);
        Assert.Contains("class 9", error.Message);

        // A folder synthesize did not write is never replaced by it.
        Directory.CreateDirectory(Path.Combine(dir.Path, "other", "synthetic-depth"));
        Assert.Throws<ProbeBenchException>(() => SyntheticDenseWriter.Write(Path.Combine(dir.Path, "other"), DenseTask.Depth, 1, 1, 16, 0));
    }
}
