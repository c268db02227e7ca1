using System.Globalization;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Oxford-IIIT Pet: <c>annotations/{trainval,test}.txt</c> lines "<c>Abyssinian_100 1 1 1</c>" (image, 1-based class, species,
/// breed id), images <c>images/&lt;image&gt;.jpg</c>. Class names come from the image names, title-cased and in label order,
/// as torchvision makes them. train is the official trainval split.
/// </summary>
public static class OxfordPetsLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var names = new SortedDictionary<int, string>();
        var items = new List<ImageItem>();
        foreach (var (set, keep) in new[] { ("trainval", split == "train"), ("test", split == "test") })
        {
            var file = Path.Combine(folder, "annotations", $"{set}.txt");
            var lines = DataFiles.ReadLines(file, entry.Name);
            for (var n = 0; n < lines.Length; n++)
            {
                if (lines[n].StartsWith('#')) continue;
                var fields = DataFiles.Fields(lines[n]);
                if (fields.Length < 2) throw new ProbeBenchException($"{file}: line {n + 1} '{lines[n]}' is not '<image> <class id> …'.");
                var label = DataFiles.Integer(fields[1], file, n + 1) - 1;
                var cut = fields[0].LastIndexOf('_');
                var raw = cut > 0 ? fields[0][..cut] : fields[0];
                names.TryAdd(label, string.Join(' ', raw.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant())));
                if (keep) items.Add(new ImageItem(DataFiles.Under(Path.Combine(folder, "images"), fields[0] + ".jpg", file), label));
            }
        }
        if (names.Count == 0 || names.Keys.First() != 0 || names.Keys.Last() != names.Count - 1)
            throw new ProbeBenchException($"{entry.Name}: the class ids in {folder}/annotations are not 1..N without gaps.");
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        return ImageListDataset.Create(entry.Name, split, folder, items, names.Values.ToList());
    }
}
