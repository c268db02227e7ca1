using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Data;

public class DatasetCatalogTests
{
    [Fact]
    public void Shipped_catalog_lists_the_standard_datasets_with_published_checksums_and_class_names()
    {
        var catalog = DatasetCatalog.LoadDefault();

        Assert.Equal(["cifar10", "cifar100", "cifar100-coarse", "stl10"], catalog.Entries.Take(4).Select(e => e.Name));
        Assert.Equal("c32a1d4ab5d03f1284b67883e8d87530", catalog.Get("cifar10").Files[0].Md5);
        Assert.Equal("03b5dce01913d631647c71ecec9e9cb8", catalog.Get("cifar100").Files[0].Md5);
        Assert.Equal("91f7769df0f17e558f3565bffb0c7dfb", catalog.Get("stl10").Files[0].Md5);
        Assert.Equal("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", catalog.Get("cifar10").Files[0].Url);
        Assert.Equal([10, 100, 20, 10], catalog.Entries.Take(4).Select(e => e.ClassNames.Count));
        Assert.Equal(CifarLayout.Cifar10.Folder, catalog.Get("cifar10").Folder);
        Assert.Equal(CifarLayout.Cifar100.Folder, catalog.Get("cifar100-coarse").Folder);
        Assert.Equal(Stl10Dataset.Folder, catalog.Get("STL10").Folder);
        Assert.Equal("truck", catalog.Get("cifar10").ClassNames[9]);
        Assert.Equal("monkey", catalog.Get("stl10").ClassNames[7]);
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ProbeBenchException>(() => DatasetCatalog.LoadDefault().Get("imagenet-21k"));
        Assert.Contains("imagenet-21k", error.Message);
        Assert.Contains("cifar10", error.Message);
    }

    [Fact]
    public void The_dinov2_linear_suite_is_the_papers_twelve_datasets_each_with_its_metric_checksums_and_class_names()
    {
        var catalog = DatasetCatalog.LoadDefault();
        var suite = catalog.Suite("dinov2-linear");
        Assert.Equal(["food101", "cifar10", "cifar100", "sun397", "stanford-cars", "fgvc-aircraft", "voc2007", "dtd", "oxford-pets", "caltech101", "flowers102", "cub200"], suite);
        var expected = new Dictionary<string, (int Classes, string Metric, int Train, int Test)>
        {
            ["food101"] = (101, "top1", 75750, 25250), ["sun397"] = (397, "top1", 19850, 19850), ["stanford-cars"] = (196, "top1", 8144, 8041),
            ["fgvc-aircraft"] = (100, "mean-per-class", 6667, 3333), ["voc2007"] = (20, "map11", 5011, 4952), ["dtd"] = (47, "top1", 3760, 1880),
            ["oxford-pets"] = (37, "mean-per-class", 3680, 3669), ["caltech101"] = (101, "mean-per-class", 3030, 5647),
            ["flowers102"] = (102, "mean-per-class", 2040, 6149), ["cub200"] = (200, "top1", 5994, 5794),
            ["svhn"] = (10, "top1", 73257, 26032), ["eurosat"] = (10, "top1", 21600, 5400), ["mnist"] = (10, "top1", 60000, 10000),
            ["fashion-mnist"] = (10, "top1", 60000, 10000), ["gtsrb"] = (43, "top1", 26640, 12630),
        };
        foreach (var (name, (classes, metric, train, test)) in expected)
        {
            var entry = catalog.Get(name);
            Assert.Equal(classes, entry.ClassNames.Count);
            Assert.Equal(classes, entry.ClassNames.Distinct().Count());
            Assert.Equal(metric, entry.Metric);
            Assert.Equal(train, entry.Splits["train"]);
            Assert.Equal(test, entry.Splits["test"]);
            Assert.All(entry.Files, f => Assert.True(f.Checksum.Hex.Length is 32 or 64));
            Assert.False(string.IsNullOrWhiteSpace(entry.License));
        }
        Assert.Equal("Black_footed_Albatross", catalog.Get("cub200").ClassNames[0]);
        Assert.Equal("apartment_building/outdoor", catalog.Get("sun397").ClassNames[8]);
        Assert.Equal("cheese_plate", catalog.Get("food101").ClassNames[16]);
        Assert.Equal("American Pit Bull Terrier", catalog.Get("oxford-pets").ClassNames[2]);
        Assert.True(catalog.Get("imagenet").Local);
        Assert.All(catalog.Get("stanford-cars").Files, f => Assert.Null(f.Url));
        Assert.Contains("7545", catalog.Get("stanford-cars").Notes);
    }

    [Fact]
    public void Entry_without_checksum_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("catalog.json");
        File.WriteAllText(path, """
            {"datasets":[{"name":"x","format":"cifar10","description":"","url":"http://127.0.0.1/x.tar.gz","archive":"x.tar.gz",
              "folder":"x","imageSize":32,"splits":{"train":1},"classNames":["a"]}]}
            """);
        var error = Assert.Throws<ProbeBenchException>(() => DatasetCatalog.Load(path));
        Assert.Contains("md5 or sha256", error.Message);
        Assert.Contains(path, error.Message);
    }
}
