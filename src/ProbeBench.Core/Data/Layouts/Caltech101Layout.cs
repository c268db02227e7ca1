namespace ProbeBench.Core.Data.Layouts;

/// <summary>
/// Caltech-101 (<c>101_ObjectCategories/&lt;class&gt;/image_NNNN.jpg</c>): classes are the sorted folder names without
/// BACKGROUND_Google (as torchvision reads it). There is no official split; the linear-probe protocol (Kornblith et al.,
/// followed by DINOv2) trains on 30 images per class and tests on the rest: here the first <see cref="TrainPerClass"/>
/// files of each class in name order, so the split is fixed and needs no seed.
/// </summary>
public static class Caltech101Layout
{
    public const int TrainPerClass = 30;
    public const string Background = "BACKGROUND_Google";

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        var classes = DataFiles.SubFolders(folder, entry.Name).Where(d => Path.GetFileName(d) != Background).ToList();
        var items = new List<ImageItem>();
        for (var label = 0; label < classes.Count; label++)
        {
            var files = DataFiles.FilesIn(classes[label], entry.Name, ".jpg");
            if (files.Count <= TrainPerClass)
                throw new ProbeBenchException($"{entry.Name}: {classes[label]} holds {files.Count} images; the protocol needs more than {TrainPerClass}.");
            items.AddRange((split == "train" ? files.Take(TrainPerClass) : files.Skip(TrainPerClass)).Select(f => new ImageItem(f, label)));
        }
        return ImageListDataset.Create(entry.Name, split, folder, items, classes.Select(c => Path.GetFileName(c)!).ToList(), idRoot: folder);
    }
}
