using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Stanford Cars in torchvision's layout: <c>devkit/cars_meta.mat</c> (class_names), <c>devkit/cars_train_annos.mat</c> and
/// <c>cars_test_annos_withlabels.mat</c> (struct arrays <c>annotations</c> with <c>fname</c> and 1-based <c>class</c>), images in
/// <c>cars_train/</c> and <c>cars_test/</c>.
/// </summary>
public static class StanfordCarsLayout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var metaPath = Path.Combine(folder, "devkit", "cars_meta.mat");
        var names = MatFile.Read(Require(metaPath, entry)).Get("class_names", metaPath);
        var classes = Enumerable.Range(0, names.Count).Select(i => names.Cell(i).Text()).ToList();
        var (annotations, images) = split switch
        {
            "train" => (Path.Combine(folder, "devkit", "cars_train_annos.mat"), Path.Combine(folder, "cars_train")),
            "test" => (Path.Combine(folder, "cars_test_annos_withlabels.mat"), Path.Combine(folder, "cars_test")),
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var records = MatFile.Read(Require(annotations, entry)).Get("annotations", annotations);
        var items = new List<ImageItem>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var label = records.Field(i, "class").Integers(1, classes.Count)[0] - 1;
            items.Add(new ImageItem(DataFiles.Under(images, records.Field(i, "fname").Text(), annotations), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes);
    }

    private static string Require(string path, DatasetCatalogEntry entry) =>
        File.Exists(path) ? path : throw new ProbeBenchException($"{entry.Name}: {path} is missing; {entry.Notes}");
}
