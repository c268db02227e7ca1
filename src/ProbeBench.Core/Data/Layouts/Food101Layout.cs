using System.Text.Json;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Food-101 as published (<c>food-101.tar.gz</c> → <c>food-101/</c>): <c>meta/{train,test}.json</c> map each class to its
/// images (<c>"apple_pie/1005649"</c> → <c>images/apple_pie/1005649.jpg</c>); classes are the sorted keys, as torchvision reads them.
/// </summary>
public static class Food101Layout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var path = Path.Combine(folder, "meta", $"{split}.json");
        Dictionary<string, List<string>>? map;
        try
        {
            map = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(DataFiles.ReadText(path, entry.Name));
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"{path} is not the Food-101 split file (a JSON object of class → image list): {e.Message}", inner: e);
        }
        if (map is null || map.Count == 0) throw new ProbeBenchException($"{path} lists no classes.");
        var classes = map.Keys.Order(StringComparer.Ordinal).ToList();
        var items = new List<ImageItem>();
        for (var label = 0; label < classes.Count; label++)
            foreach (var image in map[classes[label]])
                items.Add(new ImageItem(DataFiles.Under(Path.Combine(folder, "images"), image + ".jpg", path), label));
        return ImageListDataset.Create(entry.Name, split, folder, items, classes);
    }
}
