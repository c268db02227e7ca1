using System.Security.Cryptography;
using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data;

/// <summary>
/// MNIST-style IDX files (MNIST, Fashion-MNIST): <c>…train-images-idx3-ubyte</c> (N×28×28 grey) with
/// <c>…train-labels-idx1-ubyte</c>, and <c>t10k-…</c> for test. Grey is replicated to RGB, as PIL's convert("RGB") does.
/// </summary>
public static class IdxDataset
{
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var images = IdxFile.Read(Find(entry, folder, $"{prefix}-images-idx3-ubyte"), entry.Name, 3);
        var labels = IdxFile.Read(Find(entry, folder, $"{prefix}-labels-idx1-ubyte"), entry.Name, 1);
        var (count, height, width) = (images.Dims[0], images.Dims[1], images.Dims[2]);
        if ((long)height * width > ImageDecoder.MaxPixels)
            throw new ProbeBenchException($"{entry.Name}/{split}: images of {height}×{width} pixels are above the limit of {ImageDecoder.MaxPixels} pixels per image.");
        if (labels.Dims[0] != count) throw new ProbeBenchException($"{entry.Name}/{split}: {count} images but {labels.Dims[0]} labels.");
        var classes = entry.ClassNames;
        var label = new int[count];
        for (var i = 0; i < count; i++)
        {
            label[i] = labels.Data[i];
            if (label[i] >= classes.Count) throw new ProbeBenchException($"{entry.Name}/{split}: image {i} has label {label[i]}, outside 0..{classes.Count - 1}.");
        }
        if (images.Data.LongLength * 3 > Array.MaxLength)
            throw new ProbeBenchException($"{entry.Name}/{split}: {count} images of {height}×{width} are {images.Data.LongLength * 3} RGB bytes, more than one array holds.");
        var rgb = new byte[images.Data.LongLength * 3];
        for (long p = 0; p < images.Data.LongLength; p++)
            rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = images.Data[p];
        var digest = Convert.ToHexStringLower(SHA256.HashData(images.Data)) + Convert.ToHexStringLower(SHA256.HashData(labels.Data));
        return new InMemoryImageDataset(entry.Name, split, rgb, height, width, label, classes, digest);
    }

    /// <summary>The one file in <paramref name="folder"/> named <paramref name="suffix"/> or ending in "-" + it.</summary>
    private static string Find(DatasetCatalogEntry entry, string folder, string suffix)
    {
        var matches = Directory.Exists(folder)
            ? Directory.GetFiles(folder).Where(f => Path.GetFileName(f) == suffix || Path.GetFileName(f).EndsWith("-" + suffix, StringComparison.Ordinal)).ToList()
            : [];
        return matches.Count == 1 ? matches[0]
            : throw new ProbeBenchException($"{entry.Name}: {folder} holds {(matches.Count == 0 ? "no" : "several")} '{suffix}' file{(matches.Count == 0 ? "" : "s")}; download the dataset (probebench datasets download {entry.Name}).");
    }
}
