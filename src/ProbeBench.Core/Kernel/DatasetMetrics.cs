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

    /// <summary>Mean intersection over union of semantic segmentation, as mmseg computes it (VOC 2012, ADE20K).</summary>
    public const string Miou = "miou";

    /// <summary>Root-mean-square depth error in metres (NYU Depth v2); lower is better.</summary>
    public const string Rmse = "rmse";

    public static IReadOnlyList<string> All { get; } = [Top1, MeanPerClass, Map11, Miou, Rmse];

    public static string Title(string metric) => metric switch
    {
        MeanPerClass => "mean per-class accuracy",
        Map11 => "11-point mAP",
        Miou => "mIoU",
        Rmse => "RMSE (m)",
        _ => "top-1",
    };

    /// <summary>Whether a larger value is a better result (all but RMSE).</summary>
    public static bool HigherIsBetter(string metric) => metric != Rmse;

    /// <summary>Whether the metric is a fraction in [0, 1] (shown as %); RMSE is in metres.</summary>
    public static bool IsFraction(string metric) => metric != Rmse;
}
