using System.Security.Cryptography;

namespace ProbeBench.Core.Data;

/// <summary>
/// One split of CIFAR-10 or CIFAR-100 in the official binary layout: records of label byte(s) then 3072 pixel
/// bytes, the R plane, then G, then B, each 32×32 row-major. The split is read into memory once (150 MB for
/// CIFAR-10 train); <see cref="Load"/> reorders one record to HWC.
/// </summary>
public sealed class CifarDataset : IImageDataset
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private CifarDataset(CifarLayout layout, string split, byte[] pixels, byte[] labels, IReadOnlyList<string> classNames, string fingerprint)
    {
        Name = layout.Name;
        Split = split;
        _pixels = pixels;
        _labels = labels;
        ClassNames = classNames;
        Fingerprint = fingerprint;
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _labels.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public string Fingerprint { get; }

    public bool IsSynthetic { get; private init; }

    public int GetLabel(int index) => _labels[index];

    public RgbImage Load(int index)
    {
        const int plane = CifarLayout.Side * CifarLayout.Side;
        var source = _pixels.AsSpan(index * CifarLayout.PixelBytes, CifarLayout.PixelBytes);
        var hwc = new byte[CifarLayout.PixelBytes];
        for (var p = 0; p < plane; p++)
        {
            hwc[p * 3] = source[p];
            hwc[p * 3 + 1] = source[plane + p];
            hwc[p * 3 + 2] = source[2 * plane + p];
        }
        return new RgbImage(hwc, CifarLayout.Side, CifarLayout.Side);
    }

    /// <summary>Reads <paramref name="split"/> from <paramref name="folder"/> (the unpacked archive's folder).</summary>
    public static CifarDataset Open(CifarLayout layout, string folder, string split)
    {
        var files = layout.Files(split).Select(f => Path.Combine(folder, f)).ToList();
        var namesPath = Path.Combine(folder, layout.ClassNamesFile);
        foreach (var path in files.Append(namesPath))
            if (!File.Exists(path))
                throw new ProbeBenchException($"{layout.Name}: {path} is missing; download the dataset (probebench datasets download {layout.Name}) or point --data-root at it.");

        var names = DataFiles.ReadNumberedLines(namesPath, layout.Name);
        if (names.Length != layout.ClassCount)
            throw new ProbeBenchException($"{namesPath} lists {names.Length} class names; {layout.Name} has {layout.ClassCount}.");
        UniqueKeys.Positions(names, namesPath, "class name");
        var classNames = names.Select(n => n.Text).ToList();

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{layout.Name}|{split}|{layout.LabelByte}|"));
        var records = new List<(byte[] Bytes, string Path)>();
        long total = 0;
        foreach (var path in files)
        {
            var bytes = DataFiles.ReadAll(path, layout.Name, Array.MaxLength, "a CIFAR batch");
            total += bytes.Length / layout.RecordBytes * (long)CifarLayout.PixelBytes;
            if (total > Array.MaxLength)
                throw new ProbeBenchException($"{layout.Name}/{split}: the batches up to {path} hold {total} pixel bytes, more than one array holds.");
            if (bytes.Length == 0 || bytes.Length % layout.RecordBytes != 0)
                throw new ProbeBenchException($"{path} holds {bytes.Length} bytes, not a whole number of {layout.RecordBytes}-byte {layout.Name} records; the file is truncated or not {layout.Name}.");
            hash.AppendData(bytes);
            records.Add((bytes, path));
        }

        var count = records.Sum(r => r.Bytes.Length / layout.RecordBytes);
        var pixels = new byte[(long)count * CifarLayout.PixelBytes];
        var labels = new byte[count];
        var row = 0;
        foreach (var (bytes, path) in records)
            for (var offset = 0; offset < bytes.Length; offset += layout.RecordBytes, row++)
            {
                var label = bytes[offset + layout.LabelByte];
                if (label >= layout.ClassCount)
                    throw new ProbeBenchException($"{path}: record {offset / layout.RecordBytes} has label {label}, outside 0..{layout.ClassCount - 1}.");
                labels[row] = label;
                Buffer.BlockCopy(bytes, offset + layout.LabelBytes, pixels, row * CifarLayout.PixelBytes, CifarLayout.PixelBytes);
            }
        return new CifarDataset(layout, split, pixels, labels, classNames, Convert.ToHexStringLower(hash.GetHashAndReset()))
        {
            IsSynthetic = File.Exists(Path.Combine(folder, SyntheticCifarWriter.MarkerFile)),
        };
    }
}
