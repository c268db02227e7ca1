using System.Globalization;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// CUB-200-2011: <c>images.txt</c> ("id path"), <c>image_class_labels.txt</c> ("id class", 1-based), <c>train_test_split.txt</c>
/// ("id 1|0", 1 = train) and <c>classes.txt</c> ("1 001.Black_footed_Albatross"; the name is the part after the dot, the
/// ids 1, 2, 3… in order). Each file names every image (or class) once: a repeated id is an error naming its line.
/// </summary>
public static class Cub200Layout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        var classes = Classes(folder, entry);
        var imagesFile = Path.Combine(folder, "images.txt");
        var labelsFile = Path.Combine(folder, "image_class_labels.txt");
        var listFile = Path.Combine(folder, "train_test_split.txt");
        var paths = new UniqueKeys<(string Value, int Number)>("image id");
        var images = new UniqueKeys<string>("image path");
        foreach (var (id, path, number) in Pairs(imagesFile, entry))
        {
            paths.Add(id, (path, number), imagesFile, $"line {number}");
            images.Add(DataFiles.RelativeKey(path), id, imagesFile, $"line {number}");
        }
        var labels = Index(labelsFile, entry, "image id");
        var listed = new UniqueKeys<int>("image id");
        var items = new List<ImageItem>();
        foreach (var (id, isTrain, number) in Pairs(listFile, entry))
        {
            listed.Add(id, number, listFile, $"line {number}");
            if (isTrain is not ("1" or "0"))
                throw new ProbeBenchException($"{listFile}: line {number} has {DataFiles.Quote(isTrain)} for image {id}; expected 1 (train) or 0 (test).");
            if ((isTrain == "1") != (split == "train")) continue;
            if (!paths.TryGetValue(id, out var path)) throw new ProbeBenchException($"{listFile}: line {number} names image {id}, which images.txt lacks.");
            if (!labels.TryGetValue(id, out var label)) throw new ProbeBenchException($"{listFile}: line {number} names image {id}, which image_class_labels.txt lacks.");
            var classId = DataFiles.Integer(label.Value, labelsFile, label.Number);
            if (classId < 1 || classId > classes.Count)
                throw new ProbeBenchException($"{labelsFile}: line {label.Number} gives image {id} class {classId}; classes.txt has 1..{classes.Count}.");
            items.Add(new ImageItem(DataFiles.Under(Path.Combine(folder, "images"), path.Value, imagesFile), classId - 1));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes, idRoot: Path.Combine(folder, "images"));
    }

    private static List<string> Classes(string folder, DatasetCatalogEntry entry)
    {
        var file = Path.Combine(folder, "classes.txt");
        var ids = new UniqueKeys<int>("class id");
        var names = new UniqueKeys<int>("class");
        var classes = new List<string>();
        foreach (var (id, value, number) in Pairs(file, entry))
        {
            ids.Add(id, classes.Count, file, $"line {number}");
            // A label is the class id less one, so the ids must count up from 1 in file order.
            if (id != (classes.Count + 1).ToString(CultureInfo.InvariantCulture))
                throw new ProbeBenchException($"{file}: line {number} has class id {DataFiles.Quote(id)} where {classes.Count + 1} belongs; the ids count 1, 2, 3… in order.");
            var name = value.Contains('.') ? value[(value.IndexOf('.') + 1)..] : value;
            names.Add(name, classes.Count, file, $"line {number}");
            classes.Add(name);
        }
        return classes;
    }

    private readonly record struct Pair(string Key, string Value, int Number);

    /// <summary>Each id of an "id value" file → its value and line.</summary>
    private static UniqueKeys<(string Value, int Number)> Index(string file, DatasetCatalogEntry entry, string what)
    {
        var index = new UniqueKeys<(string, int)>(what);
        foreach (var (key, value, number) in Pairs(file, entry)) index.Add(key, (value, number), file, $"line {number}");
        return index;
    }

    private static IEnumerable<Pair> Pairs(string file, DatasetCatalogEntry entry)
    {
        foreach (var line in DataFiles.ReadNumberedLines(file, entry.Name))
        {
            var space = line.Text.IndexOf(' ');
            if (space <= 0) throw new ProbeBenchException($"{file}: line {line.Number} {DataFiles.Quote(line.Text)} is not '<id> <value>'.");
            yield return new(line.Text[..space], line.Text[(space + 1)..].Trim(), line.Number);
        }
    }
}
