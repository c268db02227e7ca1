namespace ProbeBench.Core.Data.Dense;

/// <summary>
/// PASCAL VOC 2012 segmentation: <c>ImageSets/Segmentation/{train,val}.txt</c> list image ids, images are
/// <c>JPEGImages/&lt;id&gt;.jpg</c> and labels <c>SegmentationClass/&lt;id&gt;.png</c> (palette indices: 0 background,
/// 1–20 the classes, 255 the ignored border). The split "test" is the official val list (1,449 images). A list names each
/// image once: a repeated id is an error naming both lines.
/// </summary>
public static class Voc2012SegLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var set = split switch
        {
            "train" => "train",
            "test" => "val",
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test (the official val list), not '{split}'."),
        };
        var list = Path.Combine(folder, "ImageSets", "Segmentation", $"{set}.txt");
        var lines = DataFiles.ReadNumberedLines(list, entry.Name);
        foreach (var line in lines)
            if (DataFiles.Fields(line.Text).Length != 1) throw new ProbeBenchException($"{list}: line {line.Number} {DataFiles.Quote(line.Text)} is not one image id.");
        UniqueKeys.Positions(lines, list, "image id");
        var pairs = lines.Select(l => new DensePair(DataFiles.Under(folder, $"JPEGImages/{l.Text}.jpg", list), DataFiles.Under(folder, $"SegmentationClass/{l.Text}.png", list))).ToList();
        return DenseListDataset.Create(entry.Name, split, folder, pairs, new ClassPngFormat(entry.ClassNames.Count), entry.ClassNames,
            split == "train" ? $"the official train list ({pairs.Count} images)" : $"the official val list ({pairs.Count} images), scored as test");
    }
}

/// <summary>
/// ADE20K SceneParsing (ADEChallengeData2016): <c>images/{training,validation}/*.jpg</c> and
/// <c>annotations/{training,validation}/*.png</c> (8-bit, 0 = "other", 1–150 the classes), matched by name. As in mmseg,
/// label 0 is ignored and the classes become 0–149. The split "test" is the official validation set (2,000 images).
/// </summary>
public static class Ade20kLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var set = split switch
        {
            "train" => "training",
            "test" => "validation",
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test (the official validation set), not '{split}'."),
        };
        var images = Path.Combine(folder, "images", set);
        var annotations = Path.Combine(folder, "annotations", set);
        if (!Directory.Exists(images) || !Directory.Exists(annotations))
            throw new ProbeBenchException($"{entry.Name}: {images} or {annotations} is missing; download the dataset (probebench datasets download {entry.Name}) or point --dataset-path at ADEChallengeData2016.");
        var pairs = DataFiles.FilesIn(images, entry.Name, ".jpg").Select(image =>
        {
            var label = Path.Combine(annotations, Path.GetFileNameWithoutExtension(image) + ".png");
            return new DensePair(image, label);
        }).ToList();
        return DenseListDataset.Create(entry.Name, split, folder, pairs, new ClassPngFormat(entry.ClassNames.Count, ReduceZeroLabel: true), entry.ClassNames,
            split == "train" ? $"the official training set ({pairs.Count} images)" : $"the official validation set ({pairs.Count} images), scored as test");
    }
}
