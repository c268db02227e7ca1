namespace ProbeBench.Core.Data;

/// <summary>One decoded image: 8-bit RGB, row-major, height × width × 3 (HWC).</summary>
public sealed record RgbImage(byte[] Pixels, int Height, int Width)
{
    public int ByteCount => Height * Width * 3;
}
