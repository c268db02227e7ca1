using System.Security.Cryptography;
using System.Text;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data.Dense;

/// <summary>One image of a dense split and the file holding its labels.</summary>
public readonly record struct DensePair(string Image, string Labels);

/// <summary>How a <see cref="DenseListDataset"/> turns a label file into a <see cref="DenseLabelMap"/>.</summary>
public abstract record DenseLabelFormat
{
    public abstract DenseTask Task { get; }

    public abstract DenseLabelMap Read(string path);

    /// <summary>Part of the fingerprint: what the format changes about the labels.</summary>
    public abstract string Canonical { get; }
}

/// <summary>16-bit greyscale PNG depth: metres = value / scale; 0, values outside (min, max) and outside the Eigen crop (480 × 640 maps, when asked) are invalid.</summary>
public sealed record DepthPngFormat(double Scale = 1000, double MinDepth = 1e-3, double MaxDepth = 10, bool EigenCrop = false) : DenseLabelFormat
{
    public override DenseTask Task => DenseTask.Depth;

    public override DenseLabelMap Read(string path)
    {
        var raw = Grey16Png.Read(path);
        return DepthLabelMaps.FromStored(raw.Values, raw.Height, raw.Width, Scale, MinDepth, MaxDepth, EigenCrop);
    }

    public override string Canonical => FormattableString.Invariant($"depth-png|{Scale:R}|{MinDepth:R}|{MaxDepth:R}|{EigenCrop}");
}

/// <summary>
/// 8-bit grey or palette PNG class maps with <paramref name="Classes"/> classes: values ≥ Classes other than 255 are an
/// error. <paramref name="ReduceZeroLabel"/> is mmseg's ADE20K rule: 0 ("other") becomes 255 and every class moves down by one.
/// </summary>
public sealed record ClassPngFormat(int Classes, bool ReduceZeroLabel = false) : DenseLabelFormat
{
    public override DenseTask Task => DenseTask.Segmentation;

    public override DenseLabelMap Read(string path)
    {
        var raw = LabelPng.Read(path);
        var values = new float[raw.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            int v = raw.Values[i];
            if (ReduceZeroLabel) v = v is 0 or DenseLabels.Ignore ? DenseLabels.Ignore : v - 1;
            if (v != DenseLabels.Ignore && v >= Classes)
                throw new ProbeBenchException($"The label map {path} holds class {raw.Values[i]} at pixel {i}; the dataset has {Classes} classes (and 255 for ignored pixels).");
            values[i] = v;
        }
        return new DenseLabelMap(values, raw.Height, raw.Width);
    }

    public override string Canonical => $"class-png|{Classes}|{ReduceZeroLabel}";
}

/// <summary>
/// A dense split defined by a list of (image, label file) pairs, as NYU's BTS release, PASCAL VOC and ADE20K define theirs.
/// Every file is checked once at open; the fingerprint hashes each pair's relative paths, sizes and modification times and
/// the label format, so a changed file changes it without any image being read.
/// </summary>
public sealed class DenseListDataset : IDenseDataset
{
    private readonly IReadOnlyList<DensePair> _pairs;
    private readonly DenseLabelFormat _format;

    private DenseListDataset(string name, string split, IReadOnlyList<DensePair> pairs, DenseLabelFormat format, IReadOnlyList<string> classNames,
        string fingerprint, string about, bool synthetic)
    {
        Name = name;
        Split = split;
        _pairs = pairs;
        _format = format;
        ClassNames = classNames;
        Fingerprint = fingerprint;
        About = about;
        IsSynthetic = synthetic;
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _pairs.Count;
    public IReadOnlyList<string> ClassNames { get; }
    public string Fingerprint { get; }
    public string About { get; }
    public bool IsSynthetic { get; }
    public DenseTask Task => _format.Task;
    public (int Height, int Width)? FixedLabelSize => null;
    public (double Min, double Max) DepthRange => _format is DepthPngFormat d ? (d.MinDepth, d.MaxDepth) : (0, 0);

    public int GetLabel(int index) => 0;

    public RgbImage Load(int index) => ImageDecoder.DecodeRgb(_pairs[index].Image);

    public (int Height, int Width) ImageSize(int index) => ImageDecoder.Dimensions(_pairs[index].Image);

    public DenseLabelMap LoadLabels(int index)
    {
        var labels = _format.Read(_pairs[index].Labels);
        return labels;
    }

    /// <param name="folder">The dataset folder: paths in the fingerprint are relative to it.</param>
    public static DenseListDataset Create(string name, string split, string folder, IReadOnlyList<DensePair> pairs, DenseLabelFormat format,
        IReadOnlyList<string> classNames, string about, bool synthetic = false)
    {
        if (pairs.Count == 0) throw new ProbeBenchException($"{name}/{split} in {folder} lists no images.");
        var statuses = new (FileStatus Image, FileStatus Labels)[pairs.Count];
        ParallelLoops.For(0, pairs.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => statuses[i] = (FileStatus.Of(pairs[i].Image), FileStatus.Of(pairs[i].Labels)));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"denselist-v1|{name}|{split}|{format.Canonical}|{string.Join('/', classNames)}\n"));
        for (var i = 0; i < pairs.Count; i++)
        {
            foreach (var (path, status) in new[] { (pairs[i].Image, statuses[i].Image), (pairs[i].Labels, statuses[i].Labels) })
            {
                if (status.Kind != FileKind.Regular)
                    throw new ProbeBenchException($"{name}/{split}: {path} is {status.Describe()}; the dataset folder {folder} is incomplete or not the published one.");
                hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(folder, path).Replace('\\', '/')}|{status.Size}|{status.ModifiedTicks}\n"));
            }
        }
        return new DenseListDataset(name, split, pairs, format, classNames, Convert.ToHexStringLower(hash.GetHashAndReset()), about, synthetic);
    }
}
