namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// GTSRB as torchvision reads it: train is <c>GTSRB/Training/&lt;class 00000…00042&gt;/*.ppm</c>, test is
/// <c>GTSRB/Final_Test/Images/*.ppm</c> labelled by <c>GT-final_test.csv</c> (semicolon-separated, with a header naming
/// <c>Filename</c> and <c>ClassId</c>).
/// </summary>
public static class GtsrbLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var names = entry.ClassNames.Count > 0 ? entry.ClassNames : Enumerable.Range(0, 43).Select(i => i.ToString("00000", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var items = new List<ImageItem>();
        if (split == "train")
        {
            var training = Path.Combine(folder, "GTSRB", "Training");
            var classes = DataFiles.SubFolders(training, entry.Name);
            foreach (var classFolder in classes)
            {
                var label = DataFiles.Integer(Path.GetFileName(classFolder)!, training, 0);
                if ((uint)label >= (uint)names.Count) throw new ProbeBenchException($"{classFolder} is not a GTSRB class folder (00000…{names.Count - 1:00000}).");
                items.AddRange(DataFiles.FilesIn(classFolder, entry.Name, ".ppm").Select(f => new ImageItem(f, label)));
            }
        }
        else if (split == "test")
        {
            var csv = Path.Combine(folder, "GT-final_test.csv");
            var lines = DataFiles.ReadLines(csv, entry.Name);
            var header = lines.Length > 0 ? lines[0].Split(';') : [];
            var nameColumn = Array.IndexOf(header, "Filename");
            var classColumn = Array.IndexOf(header, "ClassId");
            if (nameColumn < 0 || classColumn < 0) throw new ProbeBenchException($"{csv} has no header with Filename and ClassId.");
            for (var n = 1; n < lines.Length; n++)
            {
                var fields = lines[n].Split(';');
                if (fields.Length <= Math.Max(nameColumn, classColumn)) throw new ProbeBenchException($"{csv}: line {n + 1} has {fields.Length} fields.");
                items.Add(new ImageItem(DataFiles.Under(Path.Combine(folder, "GTSRB", "Final_Test", "Images"), fields[nameColumn].Trim(), csv),
                    DataFiles.Integer(fields[classColumn].Trim(), csv, n + 1)));
            }
        }
        else throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        return ImageListDataset.Create(entry.Name, split, folder, items, names);
    }
}
