namespace ProbeBench.Core.Data;

/// <summary>A greyscale 16-bit image, row-major.</summary>
public sealed record Grey16Image(ushort[] Values, int Height, int Width);

/// <summary>
/// Reads 16-bit greyscale PNGs (depth maps) without losing precision: SkiaSharp decodes them to 8 bits, which would
/// quantise depth maps to 256 levels. The decoding itself is <see cref="PngSamples"/>.
/// </summary>
public static class Grey16Png
{
    private static readonly (int, int)[] Accepted = [(16, PngSamples.Grey)];

    public static Grey16Image Read(string path) => Read(DataFiles.ReadBytes(path, "depth map"), path);

    public static Grey16Image Read(byte[] png, string pathForErrors)
    {
        var image = PngSamples.Read(png, pathForErrors, "depth map", Accepted, "a 16-bit greyscale non-interlaced PNG");
        return new Grey16Image(image.Values, image.Height, image.Width);
    }
}

/// <summary>
/// Reads segmentation label maps: 8-bit greyscale (ADE20K) or 8-bit palette PNGs (PASCAL VOC, where the palette index
/// is the class and 255 marks the ignored border).
/// </summary>
public static class LabelPng
{
    private static readonly (int, int)[] Accepted = [(8, PngSamples.Grey), (8, PngSamples.Palette)];

    public static PngSampleImage Read(string path) => Read(DataFiles.ReadBytes(path, "label map"), path);

    public static PngSampleImage Read(byte[] png, string pathForErrors) =>
        PngSamples.Read(png, pathForErrors, "label map", Accepted, "an 8-bit greyscale or palette non-interlaced PNG");
}
