namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// FGVC-Aircraft 2013b at the variant level (100 classes): <c>data/variants.txt</c> in label order,
/// <c>data/images_variant_{trainval,test}.txt</c> lines "<c>id variant name</c>", images <c>data/images/&lt;id&gt;.jpg</c>.
/// train is the official trainval split.
/// </summary>
public static class FgvcAircraftLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var data = Path.Combine(folder, "data");
        var classes = DataFiles.ReadLines(Path.Combine(data, "variants.txt"), entry.Name).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var list = Path.Combine(data, $"images_variant_{(split == "train" ? "trainval" : split)}.txt");
        var items = new List<ImageItem>();
        foreach (var line in DataFiles.ReadLines(list, entry.Name))
        {
            var space = line.IndexOf(' ');
            if (space <= 0 || !index.TryGetValue(line[(space + 1)..], out var label))
                throw new ProbeBenchException($"{list} has the line '{line}'; expected an image id and a variant from variants.txt.");
            items.Add(new ImageItem(DataFiles.Under(Path.Combine(data, "images"), line[..space] + ".jpg", list), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes);
    }
}
