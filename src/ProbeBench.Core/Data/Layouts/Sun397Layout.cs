namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// SUN397 with its official partition 1 (<c>SUN397.tar.gz</c> → <c>SUN397/</c>, <c>Partitions.zip</c> → <c>Training_01.txt</c>,
/// <c>Testing_01.txt</c>, 50 images per class each). Class names are <c>SUN397/ClassName.txt</c> without the leading
/// <c>/x/</c> (torchvision's reading); an image's class is its folder path below the letter folder.
/// </summary>
public static class Sun397Layout
{
    public const int Partition = 1;

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var images = Path.Combine(folder, "SUN397");
        var classes = DataFiles.ReadLines(Path.Combine(images, "ClassName.txt"), entry.Name)
            .Select(line => line.Length > 3 ? line[3..] : throw new ProbeBenchException($"{images}/ClassName.txt has the line '{line}'; expected /x/name.")).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var fileName = $"{(split == "train" ? "Training" : split == "test" ? "Testing" : throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."))}_{Partition:00}.txt";
        var partition = new[] { Path.Combine(folder, fileName), Path.Combine(folder, "Partitions", fileName) }.FirstOrDefault(File.Exists)
            ?? Path.Combine(folder, fileName);
        var items = new List<ImageItem>();
        foreach (var line in DataFiles.ReadLines(partition, entry.Name))
        {
            var parts = line.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3) throw new ProbeBenchException($"{partition} has the line '{line}'; expected /x/class/sun_….jpg.");
            var name = string.Join('/', parts[1..^1]);
            if (!index.TryGetValue(name, out var label)) throw new ProbeBenchException($"{partition}: '{line}' is in class '{name}', which ClassName.txt lacks.");
            items.Add(new ImageItem(DataFiles.Under(images, line, partition), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes);
    }
}
