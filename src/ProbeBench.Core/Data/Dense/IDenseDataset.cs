namespace ProbeBench.Core.Data.Dense;

/// <summary>What a dataset's per-pixel labels are.</summary>
public enum DenseTask
{
    /// <summary>Image classification: one label per image (every non-dense dataset).</summary>
    Classification,

    /// <summary>Monocular depth: metres per pixel, 0 where the sensor has no value.</summary>
    Depth,

    /// <summary>Semantic segmentation: a class index per pixel, <see cref="DenseLabels.Ignore"/> where none applies.</summary>
    Segmentation,
}

/// <summary>One image's labels at the image's own size, row-major: depth in metres (0 invalid) or class indices (255 ignored).</summary>
public sealed record DenseLabelMap(float[] Values, int Height, int Width);

public static class DenseLabels
{
    /// <summary>The class index of pixels that are not scored (mmseg's ignore_index).</summary>
    public const int Ignore = 255;

    /// <summary>Catalog and plan names of the tasks.</summary>
    public static string Name(DenseTask task) => task switch
    {
        DenseTask.Depth => "depth",
        DenseTask.Segmentation => "segmentation",
        _ => "classification",
    };

    public static DenseTask Parse(string? name) => name switch
    {
        null or "" or "classification" => DenseTask.Classification,
        "depth" => DenseTask.Depth,
        "segmentation" => DenseTask.Segmentation,
        _ => throw new ProbeBenchException($"'{name}' is not a dataset task; use classification, depth or segmentation."),
    };
}

/// <summary>
/// A split whose images carry a label per pixel (depth or classes). <see cref="IImageDataset.GetLabel"/> is 0 for every
/// image (nothing to stratify by); <see cref="IImageDataset.ClassNames"/> are the segmentation classes, or one name for depth.
/// Safe to call from several threads at once.
/// </summary>
public interface IDenseDataset : IImageDataset
{
    DenseTask Task { get; }

    /// <summary>The labels of image <paramref name="index"/> at its own size.</summary>
    DenseLabelMap LoadLabels(int index);

    /// <summary>Image <paramref name="index"/>'s height and width, from its header where the format allows (no decoding).</summary>
    (int Height, int Width) ImageSize(int index)
    {
        var image = Load(index);
        return (image.Height, image.Width);
    }

    /// <summary>The size every label map of the split has when the format fixes it (NYU's labelled set: 480 × 640); else null.</summary>
    (int Height, int Width)? FixedLabelSize { get; }

    /// <summary>Depth only: the valid range in metres (pixels outside it are not scored).</summary>
    (double Min, double Max) DepthRange => (1e-3, 10);

    /// <summary>What the split is, for the report (which training set, how it was scored).</summary>
    string About { get; }
}
