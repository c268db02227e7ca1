using System.Globalization;
using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Oxford Flowers-102: <c>jpg/image_%05d.jpg</c>, <c>imagelabels.mat</c> (<c>labels</c>, 1-based, one per image) and
/// <c>setid.mat</c> (<c>trnid</c>, <c>valid</c>, <c>tstid</c>: 1-based image ids). train is trnid + valid (the linear-probe
/// protocol), test is tstid. The publisher names no classes; the catalog's names are the ones TFDS uses. The three id
/// lists partition the images: an id listed twice in a split is an error naming both elements.
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
        var lists = split switch
        {
            "train" => new[] { "trnid", "valid" },
            "test" => ["tstid"],
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var listed = new UniqueKeys<int>("image id");
        var items = new List<ImageItem>();
        foreach (var list in lists)
        {
            var ids = sets.Get(list, setPath).Integers(1, labels.Length);
            for (var k = 0; k < ids.Length; k++)
            {
                listed.Add(ids[k].ToString(CultureInfo.InvariantCulture), k, setPath, $"{list}({k + 1})");
                items.Add(new ImageItem(Path.Combine(folder, "jpg", $"image_{ids[k]:00000}.jpg"), labels[ids[k] - 1] - 1));
            }
        }
        var names = entry.ClassNames.Count > 0 ? entry.ClassNames : Enumerable.Range(1, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        return ImageListDataset.Create(entry.Name, split, folder, items, names, idRoot: Path.Combine(folder, "jpg"));
    }
}
