using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>What a family's ViT offers extraction: full token sequences (class, prefix tokens, patches) after any blocks, in one pass.</summary>
public interface ITokenBackbone : IDisposable
{
    IBackboneConfig Config { get; }
    ScalarType DType { get; }
    Device Device { get; }

    /// <summary>B×(prefix + h·w)×D tokens after each requested block; with <paramref name="norm"/> the final LayerNorm applied.</summary>
    IReadOnlyDictionary<int, Tensor> ForwardBlocks(Tensor images, IReadOnlyCollection<int> blocks, bool norm);
}
