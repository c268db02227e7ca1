using ProbeBench.Core;
using ProbeBench.Core.Data;
using SkiaSharp;

namespace ProbeBench.Tests.Data;

public class Grey16PngTests
{
    private static ushort[] Values(int height, int width) =>
        Enumerable.Range(0, height * width).Select(i => (ushort)(i * 2654435761u >> 16)).ToArray();

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 3 })]
    [InlineData(new byte[] { 4 })]
    [InlineData(new byte[] { 4, 3, 2, 1, 0 })]
    public void Every_row_filter_round_trips_all_16_bits(byte[] filters)
    {
        var values = Values(9, 13);
        var image = Grey16Png.Read(Grey16PngWriter.Encode(values, 9, 13, filters), "test.png");
        Assert.Equal((9, 13), (image.Height, image.Width));
        Assert.Equal(values, image.Values);
    }

    [Fact]
    public void SkiaSharp_would_lose_the_low_byte_which_is_why_this_reader_exists()
    {
        var values = new ushort[] { 1000, 1001, 1002, 1003 };
        using var bitmap = SKBitmap.Decode(Grey16PngWriter.Encode(values, 2, 2, 0));
        Assert.NotNull(bitmap);
        Assert.True(bitmap.BytesPerPixel < 2 || bitmap.ColorType is SKColorType.Gray8 or SKColorType.Rgba8888 or SKColorType.Bgra8888,
            $"SkiaSharp decoded to {bitmap.ColorType}");
    }

    [Fact]
    public void Eight_bit_or_colour_png_is_refused_with_the_path()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(2, 2, SKColorType.Gray8, SKAlphaType.Opaque));
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var error = Assert.Throws<ProbeBenchException>(() => Grey16Png.Read(encoded.ToArray(), "depth/a.png"));
        Assert.Contains("depth/a.png", error.Message);
        Assert.Contains("16-bit", error.Message);
    }

    [Fact]
    public void Truncated_png_is_an_error()
    {
        var png = Grey16PngWriter.Encode(Values(4, 4), 4, 4, 2);
        Assert.Throws<ProbeBenchException>(() => Grey16Png.Read(png[..(png.Length - 20)], "t.png"));
        Assert.Throws<ProbeBenchException>(() => Grey16Png.Read([1, 2, 3], "t.png"));
    }
}
