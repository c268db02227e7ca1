namespace ProbeBench.Core.Data.Dense;

/// <summary>
/// Dense datasets in plain folders, opened by path: depth pairs (<c>root/&lt;split&gt;/rgb/*.{jpg,png}</c> with
/// <c>root/&lt;split&gt;/depth/*.png</c>, 16-bit millimetres) and segmentation pairs (<c>root/classes.txt</c>, one class
/// name per line, with <c>root/&lt;split&gt;/rgb/*</c> and <c>root/&lt;split&gt;/label/*.png</c>, 8-bit class indices,
/// 255 ignored). <c>probebench synthesize depth|seg</c> writes them.
/// </summary>
public static class DenseFolders
{
    /// <summary>Marks a folder written by <c>probebench synthesize</c>: its results say "(synthetic)".</summary>
    public const string SyntheticMarker = ".probebench-synthetic";

    public const string ClassesFile = "classes.txt";

    /// <summary>The dense task a folder's layout holds, or classification when it is neither layout.</summary>
    public static DenseTask Detect(string root)
    {
        if (!Directory.Exists(root)) return DenseTask.Classification;
        var split = Path.Combine(root, "train");
        if (Directory.Exists(Path.Combine(split, "rgb")) && Directory.Exists(Path.Combine(split, "depth"))) return DenseTask.Depth;
        if (File.Exists(Path.Combine(root, ClassesFile)) && Directory.Exists(Path.Combine(split, "rgb")) && Directory.Exists(Path.Combine(split, "label")))
            return DenseTask.Segmentation;
        return DenseTask.Classification;
    }

    public static IDenseDataset Open(string root, string split)
    {
        root = Path.GetFullPath(root);
        return Detect(root) switch
        {
            DenseTask.Depth => DepthPairDataset.Open(root, split),
            DenseTask.Segmentation => OpenSegmentation(root, split),
            _ => throw new ProbeBenchException($"{root} is neither a depth-pair folder (train/rgb + train/depth) nor a segmentation folder (classes.txt, train/rgb + train/label)."),
        };
    }

    private static DenseListDataset OpenSegmentation(string root, string split)
    {
        var classesFile = Path.Combine(root, ClassesFile);
        var lines = DataFiles.ReadNumberedLines(classesFile, Path.GetFileName(root));
        if (lines.Length is 0 or >= DenseLabels.Ignore)
            throw new ProbeBenchException($"{classesFile} names {lines.Length} classes; a segmentation folder has 1 to {DenseLabels.Ignore - 1}.");
        UniqueKeys.Positions(lines, classesFile, "class name");
        var classes = lines.Select(l => l.Text).ToArray();
        var rgb = Path.Combine(root, split, "rgb");
        var labels = Path.Combine(root, split, "label");
        if (!Directory.Exists(rgb) || !Directory.Exists(labels))
            throw new ProbeBenchException($"The segmentation folder {root} has no {split}/rgb and {split}/label.");
        var pairs = DataFiles.FilesIn(rgb, Path.GetFileName(root), ".jpg", ".jpeg", ".png").Select(image =>
        {
            var label = Path.Combine(labels, Path.GetFileNameWithoutExtension(image) + ".png");
            if (!File.Exists(label)) throw new ProbeBenchException($"The image {image} has no label map at {label}.");
            return new DensePair(image, label);
        }).ToList();
        return DenseListDataset.Create(Path.GetFileName(root), split, root, pairs, new ClassPngFormat(classes.Length), classes,
            $"{pairs.Count} image and label-map pairs from {Path.Combine(root, split)}", File.Exists(Path.Combine(root, SyntheticMarker)));
    }
}
