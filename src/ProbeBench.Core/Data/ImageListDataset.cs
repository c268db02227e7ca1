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
/// any image being read. An image's id is its path below the folder the publisher's lists name images from
/// (<c>000005.jpg</c> in VOC's JPEGImages, <c>Faces/image_0001.jpg</c> in Caltech-101): unique within the split, since
/// a split lists each image once.
/// </summary>
public sealed class ImageListDataset : IImageDataset, IMultiLabelDataset
{
    private readonly IReadOnlyList<ImageItem> _items;
    private readonly IReadOnlyList<sbyte[]>? _targets;
    private readonly string _idRoot;

    private ImageListDataset(string name, string split, IReadOnlyList<ImageItem> items, IReadOnlyList<string> classNames,
        IReadOnlyList<sbyte[]>? targets, string fingerprint, string idRoot)
    {
        _idRoot = idRoot;
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

    public string IdOf(int index) => Path.GetRelativePath(_idRoot, _items[index].Path).Replace('\\', '/');

    public int GetLabel(int index) => _items[index].Label;

    public RgbImage Load(int index) => ImageDecoder.DecodeRgb(_items[index].Path);

    public sbyte[] GetTargets(int index) =>
        _targets?[index] ?? throw new InvalidOperationException($"{Name}/{Split} is single-label.");

    /// <param name="folder">The dataset folder (paths in the fingerprint are relative to it).</param>
    /// <param name="targets">Per image, per class: 1 present, -1 absent, 0 difficult (multi-label datasets only).</param>
    /// <param name="idRoot">The folder image ids are relative to: the one the split files name images from (default <paramref name="folder"/>).</param>
    public static ImageListDataset Create(string name, string split, string folder, IReadOnlyList<ImageItem> items,
        IReadOnlyList<string> classNames, IReadOnlyList<sbyte[]>? targets = null, string? idRoot = null)
    {
        if (items.Count == 0) throw new ProbeBenchException($"{name}/{split} in {folder} lists no images.");
        if (targets is not null && targets.Count != items.Count)
            throw new ProbeBenchException($"{name}/{split}: {items.Count} images but {targets.Count} target rows.");
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if ((uint)item.Label >= (uint)classNames.Count)
                throw new ProbeBenchException($"{name}/{split}: {item.Path} has label {item.Label}, outside 0..{classNames.Count - 1}.");
            // The layouts refuse a repeat naming the line; this keeps ids unique for any list.
            if (!listed.Add(item.Path)) throw new ProbeBenchException($"{name}/{split}: the image {item.Path} is listed twice.");
        }
        var statuses = new FileStatus[items.Count];
        ParallelLoops.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => statuses[i] = FileStatus.Of(items[i].Path));
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
        return new ImageListDataset(name, split, items, classNames, targets, Convert.ToHexStringLower(hash.GetHashAndReset()), idRoot ?? folder);
    }
}
