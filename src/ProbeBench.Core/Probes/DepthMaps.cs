namespace ProbeBench.Core.Probes;

/// <summary>Depth maps: <see cref="Images"/> × <see cref="Height"/> × <see cref="Width"/> float32 values, row-major.</summary>
public sealed record DepthMaps(float[] Values, int Images, int Height, int Width)
{
    public ReadOnlySpan<float> Map(int image) => Values.AsSpan(image * Height * Width, Height * Width);

    public void Validate(string what)
    {
        if (Images <= 0 || Height <= 0 || Width <= 0)
            throw new ProbeBenchException($"{what} is empty ({Images} maps of {Height}×{Width}).");
        if (Values.Length != (long)Images * Height * Width)
            throw new ProbeBenchException($"{what} holds {Values.Length} values, expected {Images}×{Height}×{Width}.");
        for (var i = 0; i < Values.Length; i++)
            if (float.IsNaN(Values[i]))
                throw new ProbeBenchException($"{what} holds NaN at index {i}.");
    }
}
