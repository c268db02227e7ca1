namespace ProbeBench.Core.Data;

/// <summary>
/// One split of a labelled image dataset. Implementations must be safe to call
/// <see cref="Load"/> from several threads at once (extraction decodes in parallel).
/// </summary>
public interface IImageDataset
{
    /// <summary>Catalog name, e.g. "cifar10".</summary>
    string Name { get; }

    /// <summary>Split name, e.g. "train" or "test".</summary>
    string Split { get; }

    int Count { get; }

    IReadOnlyList<string> ClassNames { get; }

    /// <summary>0-based class index of item <paramref name="index"/>.</summary>
    int GetLabel(int index);

    /// <summary>Decodes item <paramref name="index"/> to RGB.</summary>
    RgbImage Load(int index);

    /// <summary>
    /// A stable hash of what this split holds (file contents or a content digest, labels, order);
    /// it goes into feature-cache keys, so any change to the data must change it.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>What identifies item <paramref name="index"/> to a person (a file's relative path, else its position in the split).</summary>
    string IdOf(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True for data made by <c>probebench synthesize</c> (results label it so), not the real dataset.</summary>
    bool IsSynthetic => false;
}
