namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// PASCAL VOC 2007 classification (multi-label): <c>ImageSets/Main/{trainval,test}.txt</c> list the images,
/// <c>ImageSets/Main/&lt;class&gt;_{trainval,test}.txt</c> give each image 1 (present), -1 (absent) or 0 (difficult) per class,
/// images are <c>JPEGImages/&lt;id&gt;.jpg</c>. train is the official trainval split. Every file names each image once: a
/// repeated id is an error naming its line.
/// </summary>
public static class Voc2007Layout
{
    public static readonly IReadOnlyList<string> Classes =
    [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var set = split == "train" ? "trainval" : split;
        var main = Path.Combine(folder, "ImageSets", "Main");
        var setFile = Path.Combine(main, $"{set}.txt");
        var lines = DataFiles.ReadNumberedLines(setFile, entry.Name);
        foreach (var line in lines)
            if (DataFiles.Fields(line.Text).Length != 1) throw new ProbeBenchException($"{setFile}: line {line.Number} {DataFiles.Quote(line.Text)} is not one image id.");
        var row = UniqueKeys.Positions(lines, setFile, "image id");
        var ids = lines.Select(l => l.Text).ToArray();
        var targets = ids.Select(_ => new sbyte[Classes.Count]).ToArray();
        var seen = new bool[ids.Length, Classes.Count];
        for (var c = 0; c < Classes.Count; c++)
        {
            var file = Path.Combine(main, $"{Classes[c]}_{set}.txt");
            var marked = new UniqueKeys<int>("image id");
            foreach (var line in DataFiles.ReadNumberedLines(file, entry.Name))
            {
                var fields = DataFiles.Fields(line.Text);
                if (fields.Length != 2 || !row.TryGetValue(fields[0], out var r))
                    throw new ProbeBenchException($"{file}: line {line.Number} {DataFiles.Quote(line.Text)} is not '<image id of {set}.txt> <1|0|-1>'.");
                marked.Add(fields[0], r, file, $"line {line.Number}");
                var value = DataFiles.Integer(fields[1], file, line.Number);
                if (value is < -1 or > 1) throw new ProbeBenchException($"{file}: line {line.Number} has {value}; expected 1, 0 or -1.");
                targets[r][c] = (sbyte)value;
                seen[r, c] = true;
            }
        }
        var items = new List<ImageItem>(ids.Length);
        for (var r = 0; r < ids.Length; r++)
        {
            var missing = Enumerable.Range(0, Classes.Count).FirstOrDefault(c => !seen[r, c], -1);
            if (missing >= 0) throw new ProbeBenchException($"{Path.Combine(main, $"{Classes[missing]}_{set}.txt")} has no line for image {ids[r]}.");
            var label = Array.IndexOf(targets[r], (sbyte)1);
            if (label < 0) label = Math.Max(0, Array.IndexOf(targets[r], (sbyte)0));
            items.Add(new ImageItem(DataFiles.Under(Path.Combine(folder, "JPEGImages"), ids[r] + ".jpg", setFile), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, Classes, targets, idRoot: Path.Combine(folder, "JPEGImages"));
    }
}
