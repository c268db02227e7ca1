namespace ProbeBench.Core.Data;

/// <summary>
/// A dataset whose images may hold several classes (PASCAL VOC). <see cref="IImageDataset.GetLabel"/> is then one
/// representative class (the first present), used only to stratify subsets; the targets are what heads and metrics use.
/// </summary>
public interface IMultiLabelDataset
{
    bool IsMultiLabel { get; }

    /// <summary>Per class: 1 present, -1 absent, 0 difficult (ignored for that class, as the VOC devkit does).</summary>
    sbyte[] GetTargets(int index);
}
