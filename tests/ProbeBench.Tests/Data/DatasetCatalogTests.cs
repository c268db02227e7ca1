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

        Assert.Equal(["cifar10", "cifar100", "cifar100-coarse", "stl10"], catalog.Entries.Select(e => e.Name));
        Assert.Equal("c32a1d4ab5d03f1284b67883e8d87530", catalog.Get("cifar10").Md5);
        Assert.Equal("03b5dce01913d631647c71ecec9e9cb8", catalog.Get("cifar100").Md5);
        Assert.Equal("91f7769df0f17e558f3565bffb0c7dfb", catalog.Get("stl10").Md5);
        Assert.Equal("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", catalog.Get("cifar10").Url);
        Assert.Equal([10, 100, 20, 10], catalog.Entries.Select(e => e.ClassNames.Count));
        Assert.Equal(CifarLayout.Cifar10.Folder, catalog.Get("cifar10").Folder);
        Assert.Equal(CifarLayout.Cifar100.Folder, catalog.Get("cifar100-coarse").Folder);
        Assert.Equal(Stl10Dataset.Folder, catalog.Get("STL10").Folder);
        Assert.Equal("truck", catalog.Get("cifar10").ClassNames[9]);
        Assert.Equal("monkey", catalog.Get("stl10").ClassNames[7]);
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ProbeBenchException>(() => DatasetCatalog.LoadDefault().Get("imagenet"));
        Assert.Contains("imagenet", error.Message);
        Assert.Contains("cifar10", error.Message);
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
