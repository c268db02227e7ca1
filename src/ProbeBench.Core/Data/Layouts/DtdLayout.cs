namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// DTD r1.0.1 with split 1: <c>labels/{train1,val1,test1}.txt</c> list <c>class/image.jpg</c> under <c>images/</c>; classes
/// are the sorted class names (torchvision's reading). train is train1 + val1 (the usual linear-probe protocol), test is test1.
/// </summary>
public static class DtdLayout
{
    public const int Partition = 1;

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var lists = split switch
        {
            "train" => new[] { $"train{Partition}.txt", $"val{Partition}.txt" },
            "test" => [$"test{Partition}.txt"],
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var lines = lists.SelectMany(l => DataFiles.ReadLines(Path.Combine(folder, "labels", l), entry.Name).Select(line => (line, file: l))).ToList();
        // Classes come from all three lists, so both splits number them alike.
        var all = new[] { "train", "val", "test" }.SelectMany(s => DataFiles.ReadLines(Path.Combine(folder, "labels", $"{s}{Partition}.txt"), entry.Name))
            .Select(l => l.Split('/')[0]);
        var classes = all.Distinct().Order(StringComparer.Ordinal).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var items = lines.Select(l => new ImageItem(DataFiles.Under(Path.Combine(folder, "images"), l.line, l.file), index[l.line.Split('/')[0]])).ToList();
        return ImageListDataset.Create(entry.Name, split, folder, items, classes);
    }
}
