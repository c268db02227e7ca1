namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// EuroSAT RGB (<c>2750/&lt;class&gt;/*.jpg</c>, classes sorted as torchvision's ImageFolder sorts them). The publisher
/// defines no split; ProbeBench's fixed one puts every fifth image of each class, in name order, into test
/// (index % 5 == 4): 80 / 20 and stratified, with no seed to remember.
/// </summary>
public static class EuroSatLayout
{
    public const int TestEvery = 5;

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        var classes = DataFiles.SubFolders(folder, entry.Name);
        var items = new List<ImageItem>();
        for (var label = 0; label < classes.Count; label++)
        {
            var files = DataFiles.FilesIn(classes[label], entry.Name, ".jpg", ".tif", ".png");
            items.AddRange(files.Where((_, i) => (i % TestEvery == TestEvery - 1) == (split == "test")).Select(f => new ImageItem(f, label)));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes.Select(c => Path.GetFileName(c)!).ToList(), idRoot: folder);
    }
}
