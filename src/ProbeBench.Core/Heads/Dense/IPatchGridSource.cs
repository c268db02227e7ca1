using static TorchSharp.torch;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>
/// A split's backbone tokens for a dense head, a batch of images at a time: read from the feature cache, or computed by
/// the frozen backbone on demand (<c>dense: online</c>).
/// </summary>
public interface IPatchGridSource : IDisposable
{
    int Images { get; }
    int GridHeight { get; }
    int GridWidth { get; }

    /// <summary>The backbone's embedding width.</summary>
    int Channels { get; }

    /// <summary>The blocks (0-based) whose tokens <see cref="Tokens"/> returns, in order.</summary>
    IReadOnlyList<int> Blocks { get; }

    /// <summary>Per block, n × (1 + grid height · grid width) × channels float32 tokens on <paramref name="device"/>: the class token, then the patches row by row.</summary>
    IReadOnlyList<Tensor> Tokens(long[] images, Device device);
}
