namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Oxford-IIIT Pet: <c>annotations/{trainval,test}.txt</c> lines "<c>Abyssinian_100 1 1 1</c>" (image, 1-based class, species,
/// breed id), images <c>images/&lt;image&gt;.jpg</c>. Class names come from the image names, title-cased and in label order,
/// as torchvision makes them. train is the official trainval split. The two lists partition the images and give each
/// class one breed name: an image listed twice, or a breed named for two classes, is an error naming both lines.
/// </summary>
public static class OxfordPetsLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        var names = new SortedDictionary<int, (string Name, string File, int Line)>();
        var breeds = new UniqueKeys<int>("breed");
        var listed = new UniqueKeys<int>("image");
        var images = Path.Combine(folder, "images");
        var items = new List<ImageItem>();
        foreach (var (set, keep) in new[] { ("trainval", split == "train"), ("test", split == "test") })
        {
            var file = Path.Combine(folder, "annotations", $"{set}.txt");
            foreach (var line in DataFiles.ReadNumberedLines(file, entry.Name))
            {
                if (line.Text.StartsWith('#')) continue;
                var fields = DataFiles.Fields(line.Text);
                if (fields.Length < 2) throw new ProbeBenchException($"{file}: line {line.Number} {DataFiles.Quote(line.Text)} is not '<image> <class id> …'.");
                var label = DataFiles.Integer(fields[1], file, line.Number) - 1;
                if (label < 0) throw new ProbeBenchException($"{file}: line {line.Number} has class id {label + 1}; class ids start at 1.");
                listed.Add(fields[0], label, file, $"line {line.Number}");
                var name = BreedOf(fields[0]);
                if (names.TryGetValue(label, out var first))
                {
                    if (first.Name != name)
                        throw new ProbeBenchException($"{file}: line {line.Number} makes class {label + 1} the breed {DataFiles.Quote(name)}, but line {first.Line}{(first.File == file ? "" : $" in {first.File}")} made it {DataFiles.Quote(first.Name)}.");
                }
                else
                {
                    breeds.Add(name, label, file, $"line {line.Number}");
                    names.Add(label, (name, file, line.Number));
                }
                if (keep) items.Add(new ImageItem(DataFiles.Under(images, fields[0] + ".jpg", file), label));
            }
        }
        if (names.Count == 0 || names.Keys.First() != 0 || names.Keys.Last() != names.Count - 1)
            throw new ProbeBenchException($"{entry.Name}: the class ids in {folder}/annotations are not 1..N without gaps.");
        return ImageListDataset.Create(entry.Name, split, folder, items, names.Values.Select(n => n.Name).ToList(), idRoot: images);
    }

    /// <summary>"american_bulldog_100" → "American Bulldog" (torchvision's class name).</summary>
    private static string BreedOf(string image)
    {
        var cut = image.LastIndexOf('_');
        var raw = cut > 0 ? image[..cut] : image;
        return string.Join(' ', raw.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));
    }
}
