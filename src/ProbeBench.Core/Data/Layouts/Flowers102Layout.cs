using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Oxford Flowers-102: <c>jpg/image_%05d.jpg</c>, <c>imagelabels.mat</c> (<c>labels</c>, 1-based, one per image) and
/// <c>setid.mat</c> (<c>trnid</c>, <c>valid</c>, <c>tstid</c>: 1-based image ids). train is trnid + valid (the linear-probe
/// protocol), test is tstid. The publisher names no classes; the catalog's names are the ones TFDS uses.
/// </summary>
public static class Flowers102Layout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var labelsPath = Path.Combine(folder, "imagelabels.mat");
        var setPath = Path.Combine(folder, "setid.mat");
        foreach (var p in new[] { labelsPath, setPath })
            if (!File.Exists(p)) throw new ProbeBenchException($"{entry.Name}: {p} is missing; download the dataset (probebench datasets download {entry.Name}).");
        var classCount = entry.ClassNames.Count > 0 ? entry.ClassNames.Count : 102;
        var labels = MatFile.Read(labelsPath).Get("labels", labelsPath).Integers(1, classCount);
        var sets = MatFile.Read(setPath);
        var ids = (split switch
        {
            "train" => new[] { "trnid", "valid" },
            "test" => ["tstid"],
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        }).SelectMany(name => sets.Get(name, setPath).Integers(1, labels.Length));
        var items = ids.Select(id => new ImageItem(Path.Combine(folder, "jpg", $"image_{id:00000}.jpg"), labels[id - 1] - 1)).ToList();
        var names = entry.ClassNames.Count > 0 ? entry.ClassNames : Enumerable.Range(1, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return ImageListDataset.Create(entry.Name, split, folder, items, names);
    }
}
