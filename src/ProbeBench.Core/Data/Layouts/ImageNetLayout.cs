using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// ImageNet-1k (ILSVRC 2012) from a local folder, never downloaded: <c>train/&lt;wnid&gt;/*.JPEG</c>; <c>val/</c> either in the
/// same class folders or flat (<c>ILSVRC2012_val_*.JPEG</c>) with the devkit's
/// <c>ILSVRC2012_devkit_t12/data/ILSVRC2012_validation_ground_truth.txt</c> (ILSVRC2012_IDs) and <c>meta.mat</c> (synsets:
/// ILSVRC2012_ID → WNID, words). Labels are the sorted WNIDs, as torchvision numbers them; class names are the
/// devkit's words when it is there, else the WNIDs. The catalog's "test" split is the official val set. meta.mat names
/// each leaf class once: a repeated ILSVRC2012_ID or WNID is an error naming both synsets.
/// </summary>
public static class ImageNetLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var devkit = Path.Combine(folder, "ILSVRC2012_devkit_t12", "data");
        var synsets = File.Exists(Path.Combine(devkit, "meta.mat")) ? Synsets(Path.Combine(devkit, "meta.mat")) : null;
        var trainFolder = Path.Combine(folder, "train");
        var wnids = Directory.Exists(trainFolder) ? DataFiles.SubFolders(trainFolder, entry.Name).Select(d => Path.GetFileName(d)!).ToList()
            : synsets?.Values.Select(s => s.Wnid).Order(StringComparer.Ordinal).ToList()
            ?? throw new ProbeBenchException($"{entry.Name}: {folder} has neither train/ nor the devkit's meta.mat; {entry.Notes}");
        var label = wnids.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        var words = synsets?.Values.ToDictionary(s => s.Wnid, s => s.Words, StringComparer.Ordinal) ?? []; // WNIDs are unique (Synsets checks)
        var names = wnids.Select(w => words.TryGetValue(w, out var text) ? text : w).ToList();

        var splitFolder = Path.Combine(folder, split == "test" ? "val" : split == "train" ? "train" : throw new ProbeBenchException($"{entry.Name} has splits train and test (the official val), not '{split}'."));
        if (!Directory.Exists(splitFolder)) throw new ProbeBenchException($"{entry.Name}: {splitFolder} is missing; {entry.Notes}");
        var items = new List<ImageItem>();
        var classFolders = DataFiles.SubFolders(splitFolder, entry.Name);
        if (classFolders.Count > 0)
        {
            foreach (var classFolder in classFolders)
            {
                if (!label.TryGetValue(Path.GetFileName(classFolder)!, out var l)) throw new ProbeBenchException($"{classFolder} is not one of the {wnids.Count} classes of train/.");
                items.AddRange(DataFiles.FilesIn(classFolder, entry.Name, ".jpeg", ".jpg", ".png").Select(f => new ImageItem(f, l)));
            }
        }
        else
        {
            var truth = Path.Combine(devkit, "ILSVRC2012_validation_ground_truth.txt");
            if (synsets is null || !File.Exists(truth))
                throw new ProbeBenchException($"{entry.Name}: {splitFolder} is flat, so the devkit (ILSVRC2012_devkit_t12/data/meta.mat and ILSVRC2012_validation_ground_truth.txt) must be beside it.");
            var ids = DataFiles.ReadNumberedLines(truth, entry.Name);
            var files = DataFiles.FilesIn(splitFolder, entry.Name, ".jpeg", ".jpg");
            if (files.Count != ids.Length) throw new ProbeBenchException($"{splitFolder} holds {files.Count} images but {truth} labels {ids.Length}.");
            for (var i = 0; i < files.Count; i++)
            {
                var id = DataFiles.Integer(ids[i].Text, truth, ids[i].Number);
                if (!synsets.TryGetValue(id, out var synset) || !label.TryGetValue(synset.Wnid, out var l))
                    throw new ProbeBenchException($"{truth}: line {ids[i].Number} has ILSVRC2012_ID {id}, which is not a class of this folder.");
                items.Add(new ImageItem(files[i], l));
            }
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, names, idRoot: splitFolder);
    }

    private static Dictionary<int, (string Wnid, string Words)> Synsets(string path)
    {
        var synsets = MatFile.Read(path).Get("synsets", path);
        var result = new Dictionary<int, (string, string)>();
        var ids = new UniqueKeys<int>("ILSVRC2012_ID");
        var wnids = new UniqueKeys<int>("WNID");
        for (var i = 0; i < synsets.Count; i++)
        {
            if (synsets.Field(i, "num_children").Integer(0, int.MaxValue) != 0) continue; // only the 1000 leaf classes
            var id = synsets.Field(i, "ILSVRC2012_ID").Integer(1, int.MaxValue);
            var wnid = synsets.Field(i, "WNID").Text();
            ids.Add(id.ToString(System.Globalization.CultureInfo.InvariantCulture), i, path, $"synsets({i + 1})");
            wnids.Add(wnid, i, path, $"synsets({i + 1})");
            result[id] = (wnid, synsets.Field(i, "words").Text());
        }
        return result;
    }
}
