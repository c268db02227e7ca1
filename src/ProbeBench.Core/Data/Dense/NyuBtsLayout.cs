namespace ProbeBench.Core.Data.Dense;

/// <summary>
/// The NYU Depth v2 release of BTS and mmseg's depth toolbox (what the DINOv2 paper trains on): a folder holding
/// <c>nyu_train.txt</c> (24,231 lines) and <c>nyu_test.txt</c> (654), each line
/// <c>/scene/rgb_00000.jpg /scene/sync_depth_00000.png 518.8579</c> with paths relative to the folder; depth is a 16-bit
/// PNG in millimetres. Lines whose depth is <c>None</c> are skipped and the rest sorted by image path, as the toolbox
/// does; depth outside (0.001, 10) m and outside the Eigen crop is invalid. A repeated line is kept, as the toolbox keeps
/// it (each line is one training sample there), so both splits read exactly what the paper's code reads.
/// </summary>
public static class NyuBtsLayout
{
    public static readonly DepthPngFormat Format = new(Scale: 1000, MinDepth: 1e-3, MaxDepth: 10, EigenCrop: true);

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var list = split switch
        {
            "train" => "nyu_train.txt",
            "test" => "nyu_test.txt",
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var file = Path.Combine(folder, list);
        var pairs = new List<DensePair>();
        foreach (var line in DataFiles.ReadNumberedLines(file, entry.Name))
        {
            var fields = DataFiles.Fields(line.Text);
            if (fields.Length < 2) throw new ProbeBenchException($"{file}: line {line.Number} {DataFiles.Quote(line.Text)} is not '<rgb path> <depth path> [focal]'.");
            if (fields[1] == "None") continue;
            pairs.Add(new DensePair(DataFiles.Under(folder, fields[0], file), DataFiles.Under(folder, fields[1], file)));
        }
        pairs.Sort((a, b) => string.CompareOrdinal(a.Image, b.Image));
        var about = split == "train"
            ? $"the BTS / mmseg training set ({pairs.Count} frames of the raw NYU scenes), as the DINOv2 paper trains"
            : $"the official test split ({pairs.Count} images), Eigen crop, depth in (0.001, 10) m";
        return DenseListDataset.Create(entry.Name, split, folder, pairs, Format, ["depth"], about);
    }
}
