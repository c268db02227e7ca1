namespace ProbeBench.Core.Kernel;

/// <summary>The headline metric a dataset's results are reported with (the catalog's <c>metric</c> key).</summary>
public static class DatasetMetrics
{
    /// <summary>Top-1 accuracy.</summary>
    public const string Top1 = "top1";

    /// <summary>Mean of the per-class accuracies (FGVC-Aircraft, Pets, Caltech-101, Flowers-102 in the DINOv2 paper).</summary>
    public const string MeanPerClass = "mean-per-class";

    /// <summary>Mean over classes of the 11-point interpolated average precision (PASCAL VOC 2007, multi-label).</summary>
    public const string Map11 = "map11";

    public static IReadOnlyList<string> All { get; } = [Top1, MeanPerClass, Map11];

    public static string Title(string metric) => metric switch
    {
        MeanPerClass => "mean per-class accuracy",
        Map11 => "11-point mAP",
        _ => "top-1",
    };
}
