namespace ProbeBench.Core.Data;

/// <summary>How a depth dataset stores depth: metres = stored value / <paramref name="Scale"/>; 0 is invalid.</summary>
/// <param name="MinDepth">Smallest valid depth in metres; anything below (other than 0) is also marked invalid.</param>
/// <param name="MaxDepth">Largest valid depth in metres; anything above is marked invalid.</param>
public sealed record DepthPairOptions(double Scale = 1000, double MinDepth = 1e-3, double MaxDepth = 10)
{
    /// <summary>NYU-Depth-v2 style: millimetres, 0.001–10 m.</summary>
    public static DepthPairOptions NyuMillimetres { get; } = new();
}
