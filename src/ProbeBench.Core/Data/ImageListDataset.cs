using System.Security.Cryptography;
using System.Text;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>One image of a list-defined split: its file and 0-based label.</summary>
public readonly record struct ImageItem(string Path, int Label);

/// <summary>
/// A split defined by a list of image files and labels, as most published datasets are (split files, annotation files,
/// folders). Every file is checked once at open (it must be a regular file), and the fingerprint is a hash of each
/// file's path relative to the dataset folder, label, size and modification time, so a changed file changes it without
/// any image being read.
/// </summary>
public sealed class ImageListDataset : IImageDataset, IMultiLabelDataset
{
    private readonly IReadOnlyList<ImageItem> _items;
    private readonly IReadOnlyList<sbyte[]>? _targets;

    private ImageListDataset(string name, string split, IReadOnlyList<ImageItem> items, IReadOnlyList<string> classNames,
        IReadOnlyList<sbyte[]>? targets, string fingerprint)
    {
        Name = name;
        Split = split;
        _items = items;
        ClassNames = classNames;
        _targets = targets;
        Fingerprint = fingerprint;
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _items.Count;
    public IReadOnlyList<string> ClassNames { get; }
    public string Fingerprint { get; }
    public bool IsMultiLabel => _targets is not null;

    public string PathOf(int index) => _items[index].Path;

    public string IdOf(int index) => Path.GetFileName(_items[index].Path);

    public int GetLabel(int index) => _items[index].Label;

    public RgbImage Load(int index) => ImageDecoder.DecodeRgb(_items[index].Path);

    public sbyte[] GetTargets(int index) =>
        _targets?[index] ?? throw new InvalidOperationException($"{Name}/{Split} is single-label.");

    /// <param name="folder">The dataset folder (paths in the fingerprint are relative to it).</param>
    /// <param name="targets">Per image, per class: 1 present, -1 absent, 0 difficult (multi-label datasets only).</param>
    public static ImageListDataset Create(string name, string split, string folder, IReadOnlyList<ImageItem> items,
        IReadOnlyList<string> classNames, IReadOnlyList<sbyte[]>? targets = null)
    {
        if (items.Count == 0) throw new ProbeBenchException($"{name}/{split} in {folder} lists no images.");
        foreach (var item in items)
            if ((uint)item.Label >= (uint)classNames.Count)
                throw new ProbeBenchException($"{name}/{split}: {item.Path} has label {item.Label}, outside 0..{classNames.Count - 1}.");
        var statuses = new FileStatus[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => statuses[i] = FileStatus.Of(items[i].Path));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"imagelist-v1|{name}|{split}|{string.Join('/', classNames)}\n"));
        for (var i = 0; i < items.Count; i++)
        {
            var status = statuses[i];
            if (status.Kind != FileKind.Regular)
                throw new ProbeBenchException($"{name}/{split}: the image {items[i].Path} is {status.Describe()}; the dataset folder {folder} is incomplete or not the published one.");
            var relative = Path.GetRelativePath(folder, items[i].Path).Replace('\\', '/');
            var targetText = targets is null ? "" : "|" + string.Join(',', targets[i]);
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}|{items[i].Label}|{status.Size}|{status.ModifiedTicks}{targetText}\n"));
        }
        return new ImageListDataset(name, split, items, classNames, targets, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
