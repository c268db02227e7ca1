using System.Security.Cryptography;
using ProbeBench.Core.Data.Files;

namespace ProbeBench.Core.Data;

/// <summary>
/// SVHN cropped digits (<c>{train,test}_32x32.mat</c>): <c>X</c> is 32×32×3×N uint8 in MATLAB's column-major order,
/// <c>y</c> holds N labels 1…10 where 10 is the digit 0 (label = y mod 10, as torchvision maps it).
/// </summary>
public static class SvhnDataset
{
    public const int Side = 32;

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (split is not ("train" or "test")) throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'.");
        var path = Path.Combine(folder, $"{split}_32x32.mat");
        if (!File.Exists(path)) throw new ProbeBenchException($"{entry.Name}: {path} is missing; download the dataset (probebench datasets download {entry.Name}).");
        var mat = MatFile.Read(path);
        var x = mat.Get("X", path);
        var y = mat.Get("y", path);
        if (x.Dims.Count != 4 || x.Dims[0] != Side || x.Dims[1] != Side || x.Dims[2] != 3)
            throw new ProbeBenchException($"{path}: X is {string.Join('×', x.Dims)}; SVHN's is 32×32×3×N.");
        var count = x.Dims[3];
        var labels = y.Integers(1, 10);
        if (labels.Length != count) throw new ProbeBenchException($"{path} holds {count} images but {labels.Length} labels.");
        var source = x.UInt8Bytes();
        var hwc = new byte[(long)count * Side * Side * 3];
        const int plane = Side * Side;
        for (var n = 0; n < count; n++)
            for (var c = 0; c < 3; c++)
                for (var w = 0; w < Side; w++)
                    for (var h = 0; h < Side; h++)
                        hwc[((long)n * plane + h * Side + w) * 3 + c] = source[n * 3 * plane + c * plane + w * Side + h];
        var digest = Convert.ToHexStringLower(SHA256.HashData(source)) + string.Join(',', labels);
        return new InMemoryImageDataset(entry.Name, split, hwc, Side, Side, labels.Select(l => l % 10).ToArray(),
            entry.ClassNames.Count == 10 ? entry.ClassNames : Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), digest);
    }
}
