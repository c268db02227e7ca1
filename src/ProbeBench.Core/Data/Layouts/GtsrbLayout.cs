using System.Globalization;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// GTSRB as torchvision reads it: train is <c>GTSRB/Training/&lt;class 00000…00042&gt;/*.ppm</c>, test is
/// <c>GTSRB/Final_Test/Images/*.ppm</c> labelled by <c>GT-final_test.csv</c> (semicolon-separated, with a header naming
/// <c>Filename</c> and <c>ClassId</c>; each image on one line: a repeated Filename is an error naming both lines).
/// </summary>
public static class GtsrbLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var names = entry.ClassNames.Count > 0 ? entry.ClassNames : Enumerable.Range(0, 43).Select(i => i.ToString("00000", CultureInfo.InvariantCulture)).ToList();
        var items = new List<ImageItem>();
        string images;
        if (split == "train")
        {
            images = Path.Combine(folder, "GTSRB", "Training");
            foreach (var classFolder in DataFiles.SubFolders(images, entry.Name))
            {
                // Exactly the five-digit names torchvision looks for, so "1" and "00001" cannot both be class 1.
                var name = Path.GetFileName(classFolder)!;
                if (name.Length != 5 || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var label) || label >= names.Count)
                    throw new ProbeBenchException($"{classFolder} is not a GTSRB class folder (00000…{names.Count - 1:00000}).");
                items.AddRange(DataFiles.FilesIn(classFolder, entry.Name, ".ppm").Select(f => new ImageItem(f, label)));
            }
        }
        else if (split == "test")
        {
            images = Path.Combine(folder, "GTSRB", "Final_Test", "Images");
            var csv = Path.Combine(folder, "GT-final_test.csv");
            var lines = DataFiles.ReadNumberedLines(csv, entry.Name);
            var header = lines.Length > 0 ? lines[0].Text.Split(';') : [];
            var nameColumn = Array.IndexOf(header, "Filename");
            var classColumn = Array.IndexOf(header, "ClassId");
            if (nameColumn < 0 || classColumn < 0) throw new ProbeBenchException($"{csv} has no header with Filename and ClassId.");
            var listed = new UniqueKeys<int>("image");
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Text.Split(';');
                if (fields.Length <= Math.Max(nameColumn, classColumn)) throw new ProbeBenchException($"{csv}: line {line.Number} has {fields.Length} fields.");
                var label = DataFiles.Integer(fields[classColumn].Trim(), csv, line.Number);
                if ((uint)label >= (uint)names.Count) throw new ProbeBenchException($"{csv}: line {line.Number} has ClassId {label}, outside 0..{names.Count - 1}.");
                var file = fields[nameColumn].Trim();
                listed.Add(file, label, csv, $"line {line.Number}");
                items.Add(new ImageItem(DataFiles.Under(images, file, csv), label));
            }
        }
        else throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        return ImageListDataset.Create(entry.Name, split, folder, items, names, idRoot: images);
    }
}
