using System.Security.Cryptography;

namespace ProbeBench.Core.Data;

/// <summary>
/// One split of STL-10 in the official binary layout: <c>{split}_X.bin</c> holds 3×96×96 uint8 images, each channel
/// stored column-major (x outer, y inner, as MATLAB wrote it); <c>{split}_y.bin</c> holds one label byte per image,
/// 1..10 in the file and 0-based here. The split is read into memory once; <see cref="Load"/> reorders one image to HWC.
/// </summary>
public sealed class Stl10Dataset : IImageDataset
{
    public const int Side = 96;
    public const int PixelBytes = 3 * Side * Side;
    public const int ClassCount = 10;
    public const string Folder = "stl10_binary";
    public const string ClassNamesFile = "class_names.txt";

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private Stl10Dataset(string split, byte[] pixels, byte[] labels, IReadOnlyList<string> classNames, string fingerprint)
    {
        Split = split;
        _pixels = pixels;
        _labels = labels;
        ClassNames = classNames;
        Fingerprint = fingerprint;
    }

    public string Name => "stl10";
    public string Split { get; }
    public int Count => _labels.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public string Fingerprint { get; }

    public int GetLabel(int index) => _labels[index];

    public RgbImage Load(int index)
    {
        const int plane = Side * Side;
        var source = _pixels.AsSpan(index * PixelBytes, PixelBytes);
        var hwc = new byte[PixelBytes];
        for (var c = 0; c < 3; c++)
        {
            var channel = source.Slice(c * plane, plane);
            for (var x = 0; x < Side; x++)
                for (var y = 0; y < Side; y++)
                    hwc[(y * Side + x) * 3 + c] = channel[x * Side + y];
        }
        return new RgbImage(hwc, Side, Side);
    }

    private static byte[] ReadAll(string path) => DataFiles.ReadAll(path, "stl10", Array.MaxLength, "an STL-10 binary file");

    public static string ImagesFile(string split) => $"{split}_X.bin";

    public static string LabelsFile(string split) => $"{split}_y.bin";

    /// <summary>Reads <paramref name="split"/> ("train" or "test") from <paramref name="folder"/> (the unpacked <c>stl10_binary</c>).</summary>
    public static Stl10Dataset Open(string folder, string split)
    {
        if (split is not ("train" or "test"))
            throw new ProbeBenchException($"stl10 has labelled splits train and test, not '{split}'.");
        var imagesPath = Path.Combine(folder, ImagesFile(split));
        var labelsPath = Path.Combine(folder, LabelsFile(split));
        var namesPath = Path.Combine(folder, ClassNamesFile);
        foreach (var path in new[] { imagesPath, labelsPath, namesPath })
            if (!File.Exists(path))
                throw new ProbeBenchException($"stl10: {path} is missing; download the dataset (probebench datasets download stl10) or point --data-root at it.");

        var names = DataFiles.ReadNumberedLines(namesPath, "stl10");
        if (names.Length != ClassCount)
            throw new ProbeBenchException($"{namesPath} lists {names.Length} class names; stl10 has {ClassCount}.");
        UniqueKeys.Positions(names, namesPath, "class name");
        var classNames = names.Select(n => n.Text).ToList();

        var pixels = ReadAll(imagesPath);
        if (pixels.Length == 0 || pixels.Length % PixelBytes != 0)
            throw new ProbeBenchException($"{imagesPath} holds {pixels.Length} bytes, not a whole number of {PixelBytes}-byte STL-10 images; the file is truncated or not STL-10.");
        var fileLabels = ReadAll(labelsPath);
        var count = pixels.Length / PixelBytes;
        if (fileLabels.Length != count)
            throw new ProbeBenchException($"{labelsPath} holds {fileLabels.Length} labels but {imagesPath} holds {count} images.");

        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var label = fileLabels[i];
            if (label is < 1 or > ClassCount)
                throw new ProbeBenchException($"{labelsPath}: image {i} has label {label}, outside 1..{ClassCount}.");
            labels[i] = (byte)(label - 1);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"stl10|{split}|"));
        hash.AppendData(fileLabels);
        hash.AppendData(pixels);
        return new Stl10Dataset(split, pixels, labels, classNames, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
