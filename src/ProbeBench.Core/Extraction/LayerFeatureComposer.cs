using ProbeBench.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Extraction;

/// <summary>Builds a layer choice's feature rows (B × dim) from the block tokens of one forward pass.</summary>
public static class LayerFeatureComposer
{
    public static Tensor Compose(LayerChoice choice, IReadOnlyDictionary<int, BlockTokens> tokens)
    {
        BlockTokens At(int block) => tokens.TryGetValue(block, out var t)
            ? t
            : throw new InvalidOperationException($"Block {block} was not computed for layer choice {choice.Name}.");

        switch (choice.Readout)
        {
            case LayerReadout.Cls:
                return cat(choice.Blocks.Select(b => At(b).Cls).ToArray(), 1);
            case LayerReadout.ClsAvgpool:
                // DINOv2 linear eval: class tokens of the blocks, then the mean patch token of the last block.
                var parts = choice.Blocks.Select(b => At(b).Cls).Append(At(choice.Blocks[^1]).Patches.mean([1])).ToArray();
                return cat(parts, 1);
            case LayerReadout.Avgpool:
                return At(choice.Blocks[0]).Patches.mean([1]);
            case LayerReadout.Patch:
                var perBlock = choice.Blocks
                    .Select(b => cat([At(b).Cls.unsqueeze(1), At(b).Patches], 1).flatten(1))
                    .ToArray();
                return cat(perBlock, 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(choice));
        }
    }
}
