using TorchSharp;

namespace ProbeBench.Core.Models;

/// <summary>What extraction needs from a backbone: the tokens of any set of blocks from one forward pass.</summary>
public interface IFeatureBackbone
{
    int Depth { get; }
    int EmbedDim { get; }
    int PatchSize { get; }

    /// <summary>
    /// Runs one forward pass over <paramref name="images"/> (B × 3 × H × W, on the backbone's device and dtype)
    /// that stops after the deepest requested block, returning for each requested block the normed class
    /// token (B × C) and patch tokens (B × h·w × C), as DINOv2's get_intermediate_layers(norm=True).
    /// </summary>
    IReadOnlyDictionary<int, BlockTokens> ForwardBlocks(torch.Tensor images, IReadOnlyCollection<int> blocks);
}

/// <summary>The normed tokens of one block.</summary>
public sealed record BlockTokens(torch.Tensor Cls, torch.Tensor Patches);
