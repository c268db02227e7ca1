namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// SUN397 with its official partition 1 (<c>SUN397.tar.gz</c> → <c>SUN397/</c>, <c>Partitions.zip</c> → <c>Training_01.txt</c>,
/// <c>Testing_01.txt</c>, 50 images per class each). Class names are <c>SUN397/ClassName.txt</c> without the leading
/// <c>/x/</c> (torchvision's reading); an image's class is its folder path below the letter folder. A class or an image
/// listed twice is an error naming its line.
/// </summary>
public static class Sun397Layout
{
    public const int Partition = 1;

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var images = Path.Combine(folder, "SUN397");
        var classFile = Path.Combine(images, "ClassName.txt");
        var classes = DataFiles.ReadNumberedLines(classFile, entry.Name).Select(line =>
            line.Text.Length > 3 && line.Text[0] == '/' && line.Text[2] == '/' ? line with { Text = line.Text[3..] }
            : throw new ProbeBenchException($"{classFile}: line {line.Number} {DataFiles.Quote(line.Text)} is not '/x/name'.")).ToList();
        var index = UniqueKeys.Positions(classes, classFile, "class");
        var fileName = $"{(split == "train" ? "Training" : split == "test" ? "Testing" : throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."))}_{Partition:00}.txt";
        var partition = new[] { Path.Combine(folder, fileName), Path.Combine(folder, "Partitions", fileName) }.FirstOrDefault(File.Exists)
            ?? Path.Combine(folder, fileName);
        var listed = new UniqueKeys<int>("image");
        var items = new List<ImageItem>();
        foreach (var line in DataFiles.ReadNumberedLines(partition, entry.Name))
        {
            var parts = line.Text.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3) throw new ProbeBenchException($"{partition}: line {line.Number} {DataFiles.Quote(line.Text)} is not '/x/class/sun_….jpg'.");
            var name = string.Join('/', parts[1..^1]);
            if (!index.TryGetValue(name, out var label))
                throw new ProbeBenchException($"{partition}: line {line.Number} is in the class {DataFiles.Quote(name)}, which ClassName.txt lacks.");
            listed.Add(DataFiles.RelativeKey(line.Text), label, partition, $"line {line.Number}");
            items.Add(new ImageItem(DataFiles.Under(images, line.Text, partition), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes.Select(c => c.Text).ToList(), idRoot: images);
    }
}
