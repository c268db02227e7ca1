namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// DTD r1.0.1 with split 1: <c>labels/{train1,val1,test1}.txt</c> list <c>class/image.jpg</c> under <c>images/</c>; classes
/// are the sorted class names (torchvision's reading). train is train1 + val1 (the usual linear-probe protocol), test is test1.
/// The three lists partition the images, so an image listed twice (in one list or two) is an error naming both lines.
/// </summary>
public static class DtdLayout
{
    public const int Partition = 1;

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var lists = split switch
        {
            "train" => new[] { "train", "val" },
            "test" => ["test"],
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var images = Path.Combine(folder, "images");
        // All three lists are read, so both splits number the classes alike and no image is in two of them.
        var listed = new UniqueKeys<int>("image");
        var read = new Dictionary<string, (string File, NumberedLine[] Lines)>();
        foreach (var set in new[] { "train", "val", "test" })
        {
            var file = Path.Combine(folder, "labels", $"{set}{Partition}.txt");
            var lines = DataFiles.ReadNumberedLines(file, entry.Name);
            foreach (var line in lines)
            {
                var slash = line.Text.IndexOf('/');
                if (slash <= 0 || slash == line.Text.Length - 1)
                    throw new ProbeBenchException($"{file}: line {line.Number} {DataFiles.Quote(line.Text)} is not '<class>/<image>.jpg'.");
                listed.Add(DataFiles.RelativeKey(line.Text), 0, file, $"line {line.Number}");
            }
            read[set] = (file, lines);
        }
        var classes = read.Values.SelectMany(r => r.Lines).Select(ClassOf).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var items = lists.SelectMany(set => read[set].Lines.Select(l => new ImageItem(DataFiles.Under(images, l.Text, read[set].File), index[ClassOf(l)]))).ToList();
        return ImageListDataset.Create(entry.Name, split, folder, items, classes, idRoot: images);
    }

    private static string ClassOf(NumberedLine line) => line.Text[..line.Text.IndexOf('/')];
}
