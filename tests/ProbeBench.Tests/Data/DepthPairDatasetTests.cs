using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;
using SkiaSharp;

namespace ProbeBench.Tests.Data;

public class DepthPairDatasetTests
{
    private static string Write(TempDirectory dir, params (string Name, ushort[] Depth)[] pairs)
    {
        var split = dir.File("nyu", "train");
        foreach (var (name, depth) in pairs)
        {
            ImageFiles.WriteRgb(Path.Combine(split, "rgb", name + ".png"), 3, 2, name.Length, SKEncodedImageFormat.Png);
            Directory.CreateDirectory(Path.Combine(split, "depth"));
            File.WriteAllBytes(Path.Combine(split, "depth", name + ".png"), Grey16PngWriter.Encode(depth, 2, 3, 4, 1));
        }
        return dir.File("nyu");
    }

    [Fact]
    public void Depth_is_value_over_scale_with_zero_and_out_of_range_invalid()
    {
        using var dir = new TempDirectory();
        var root = Write(dir, ("b", [0, 500, 1000, 2500, 9999, 12000]), ("a", [1, 1, 1, 1, 1, 1]));
        var data = DepthPairDataset.Open(root, "train", new DepthPairOptions(Scale: 1000, MinDepth: 0.6, MaxDepth: 10));

        Assert.Equal(2, data.Count);
        var depth = data.LoadDepth(1); // "b" sorts after "a"
        Assert.Equal((2, 3), (depth.Height, depth.Width));
        Assert.Equal([0f, 0f, 1f, 2.5f, 9.999f, 0f], depth.Metres);
        Assert.Equal((2, 3), (data.LoadRgb(1).Height, data.LoadRgb(1).Width));
        Assert.All(data.LoadDepth(0).Metres, m => Assert.Equal(0f, m)); // 1 mm is below 0.6 m
    }

    [Fact]
    public void Fingerprint_changes_with_depth_content_and_scale()
    {
        using var dir = new TempDirectory();
        var root = Write(dir, ("a", [1000, 1000, 1000, 1000, 1000, 1000]));
        var first = DepthPairDataset.Open(root, "train").Fingerprint;
        Assert.Equal(first, DepthPairDataset.Open(root, "train").Fingerprint);
        Assert.NotEqual(first, DepthPairDataset.Open(root, "train", new DepthPairOptions(Scale: 256)).Fingerprint);
        File.WriteAllBytes(Path.Combine(root, "train", "depth", "a.png"), Grey16PngWriter.Encode([1000, 1000, 1000, 1000, 1000, 1001], 2, 3));
        Assert.NotEqual(first, DepthPairDataset.Open(root, "train").Fingerprint);
    }

    [Fact]
    public void Rgb_without_depth_is_an_error_naming_both()
    {
        using var dir = new TempDirectory();
        var root = Write(dir, ("a", [1, 2, 3, 4, 5, 6]));
        File.Delete(Path.Combine(root, "train", "depth", "a.png"));
        var error = Assert.Throws<ProbeBenchException>(() => DepthPairDataset.Open(root, "train"));
        Assert.Contains(Path.Combine("depth", "a.png"), error.Message);
    }
}
