using System.Security.Cryptography;

namespace ProbeBench.Core.Data;

/// <summary>A split held in memory as equal-size HWC RGB images (SVHN, MNIST): decoded once at open, copied out per image.</summary>
public sealed class InMemoryImageDataset : IImageDataset
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;
    private readonly int _height, _width;

    public InMemoryImageDataset(string name, string split, byte[] hwcPixels, int height, int width, int[] labels, IReadOnlyList<string> classNames, string sourceDigest)
    {
        if (hwcPixels.LongLength != (long)labels.Length * height * width * 3)
            throw new ArgumentException("pixel buffer does not hold labels × height × width × 3 bytes");
        (Name, Split, _pixels, _height, _width, _labels, ClassNames) = (name, split, hwcPixels, height, width, labels, classNames);
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{name}|{split}|{sourceDigest}")));
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _labels.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public string Fingerprint { get; }

    public int GetLabel(int index) => _labels[index];

    public RgbImage Load(int index)
    {
        var size = _height * _width * 3;
        return new RgbImage(_pixels.AsSpan(checked(index * size), size).ToArray(), _height, _width);
    }
}
