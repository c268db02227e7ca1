using System.Text.Json;

namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Food-101 as published (<c>food-101.tar.gz</c> → <c>food-101/</c>): <c>meta/{train,test}.json</c> map each class to its
/// images (<c>"apple_pie/1005649"</c> → <c>images/apple_pie/1005649.jpg</c>); classes are the sorted keys, as torchvision reads them.
/// JSON allows a repeated key but the format does not (which list would count?), so a repeated class, or an image listed
/// twice, is an error naming both places.
/// </summary>
public static class Food101Layout
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var path = Path.Combine(folder, "meta", $"{split}.json");
        var text = DataFiles.ReadText(path, entry.Name);
        var lists = new UniqueKeys<List<string>>("class");
        var listed = new UniqueKeys<int>("image");
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException($"the top level is {json.RootElement.ValueKind}, not an object");
            var key = 0;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                key++;
                var where = $"key {key}";
                if (property.Value.ValueKind != JsonValueKind.Array)
                    throw new ProbeBenchException($"{path}: {where} ({DataFiles.Quote(property.Name)}) maps to {property.Value.ValueKind}, not a list of images.");
                var images = new List<string>();
                lists.Add(property.Name, images, path, where);
                foreach (var image in property.Value.EnumerateArray())
                {
                    var at = $"item {images.Count + 1} of {DataFiles.Quote(property.Name)}";
                    if (image.ValueKind != JsonValueKind.String || image.GetString() is not { Length: > 0 } name)
                        throw new ProbeBenchException($"{path}: {at} is {image.ValueKind}, not an image name.");
                    listed.Add(name, key, path, at);
                    images.Add(name);
                }
            }
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"{path} is not the Food-101 split file (a JSON object of class → image list): {e.Message}", inner: e);
        }
        var classes = lists.Keys.Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0) throw new ProbeBenchException($"{path} lists no classes.");
        var root = Path.Combine(folder, "images");
        var items = new List<ImageItem>();
        for (var label = 0; label < classes.Count; label++)
        {
            lists.TryGetValue(classes[label], out var images);
            foreach (var image in images!) items.Add(new ImageItem(DataFiles.Under(root, image + ".jpg", path), label));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes, idRoot: root);
    }
}
