namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// FGVC-Aircraft 2013b at the variant level (100 classes): <c>data/variants.txt</c> in label order,
/// <c>data/images_variant_{trainval,test}.txt</c> lines "<c>id variant name</c>", images <c>data/images/&lt;id&gt;.jpg</c>.
/// train is the official trainval split. A variant or an image id listed twice is an error naming its line.
/// </summary>
public static class FgvcAircraftLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var data = Path.Combine(folder, "data");
        var variants = Path.Combine(data, "variants.txt");
        var lines = DataFiles.ReadNumberedLines(variants, entry.Name);
        var index = UniqueKeys.Positions(lines, variants, "variant");
        var list = Path.Combine(data, $"images_variant_{(split == "train" ? "trainval" : split)}.txt");
        var images = Path.Combine(data, "images");
        var listed = new UniqueKeys<int>("image id");
        var items = new List<ImageItem>();
        foreach (var line in DataFiles.ReadNumberedLines(list, entry.Name))
        {
            var space = line.Text.IndexOf(' ');
            if (space <= 0 || !index.TryGetValue(line.Text[(space + 1)..], out var label))
                throw new ProbeBenchException($"{list}: line {line.Number} {DataFiles.Quote(line.Text)} is not an image id and a variant from variants.txt.");
            listed.Add(line.Text[..space], label, list, $"line {line.Number}");
            items.Add(new ImageItem(DataFiles.Under(images, line.Text[..space] + ".jpg", list), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, lines.Select(l => l.Text).ToList(), idRoot: images);
    }
}
