namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// CUB-200-2011: <c>images.txt</c> ("id path"), <c>image_class_labels.txt</c> ("id class", 1-based), <c>train_test_split.txt</c>
/// ("id 1|0", 1 = train) and <c>classes.txt</c> ("1 001.Black_footed_Albatross"; the name is the part after the dot).
/// </summary>
public static class Cub200Layout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        var classes = Pairs(folder, "classes.txt", entry).Select(p => p.Value.Contains('.') ? p.Value[(p.Value.IndexOf('.') + 1)..] : p.Value).ToList();
        var paths = Pairs(folder, "images.txt", entry).ToDictionary(p => p.Key, p => p.Value);
        var labels = Pairs(folder, "image_class_labels.txt", entry).ToDictionary(p => p.Key, p => p.Value);
        var items = new List<ImageItem>();
        var listFile = Path.Combine(folder, "train_test_split.txt");
        foreach (var (id, isTrain) in Pairs(folder, "train_test_split.txt", entry))
        {
            if ((isTrain == "1") != (split == "train")) continue;
            if (!paths.TryGetValue(id, out var path) || !labels.TryGetValue(id, out var label))
                throw new ProbeBenchException($"{listFile}: image {id} is missing from images.txt or image_class_labels.txt.");
            items.Add(new ImageItem(DataFiles.Under(Path.Combine(folder, "images"), path, listFile), DataFiles.Integer(label, listFile, 0) - 1));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes);
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string folder, string name, DatasetCatalogEntry entry)
    {
        var file = Path.Combine(folder, name);
        var lines = DataFiles.ReadLines(file, entry.Name);
        for (var n = 0; n < lines.Length; n++)
        {
            var space = lines[n].IndexOf(' ');
            if (space <= 0) throw new ProbeBenchException($"{file}: line {n + 1} '{lines[n]}' is not '<id> <value>'.");
            yield return new(lines[n][..space], lines[n][(space + 1)..].Trim());
        }
    }
}
