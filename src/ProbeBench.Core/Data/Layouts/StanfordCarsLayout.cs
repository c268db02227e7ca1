using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Stanford Cars in torchvision's layout: <c>devkit/cars_meta.mat</c> (class_names), <c>devkit/cars_train_annos.mat</c> and
/// <c>cars_test_annos_withlabels.mat</c> (struct arrays <c>annotations</c> with <c>fname</c> and 1-based <c>class</c>), images in
/// <c>cars_train/</c> and <c>cars_test/</c>. A class name or image listed twice is an error naming both elements.
/// </summary>
public static class StanfordCarsLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var metaPath = Path.Combine(folder, "devkit", "cars_meta.mat");
        var names = MatFile.Read(Require(metaPath, entry)).Get("class_names", metaPath);
        var classes = Enumerable.Range(0, names.Count).Select(i => names.Cell(i).Text()).ToList();
        UniqueKeys.Positions(classes, metaPath, "class name", i => $"class_names{{{i + 1}}}");
        var (annotations, images) = split switch
        {
            "train" => (Path.Combine(folder, "devkit", "cars_train_annos.mat"), Path.Combine(folder, "cars_train")),
            "test" => (Path.Combine(folder, "cars_test_annos_withlabels.mat"), Path.Combine(folder, "cars_test")),
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var records = MatFile.Read(Require(annotations, entry)).Get("annotations", annotations);
        var items = new List<ImageItem>(records.Count);
        var listed = new UniqueKeys<int>("image");
        for (var i = 0; i < records.Count; i++)
        {
            var label = records.Field(i, "class").Integer(1, classes.Count) - 1;
            var name = records.Field(i, "fname").Text();
            listed.Add(name, i, annotations, $"annotations({i + 1})");
            items.Add(new ImageItem(DataFiles.Under(images, name, annotations), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes, idRoot: images);
    }

    private static string Require(string path, DatasetCatalogEntry entry) =>
        File.Exists(path) ? path : throw new ProbeBenchException($"{entry.Name}: {path} is missing; {entry.Notes}");
}
