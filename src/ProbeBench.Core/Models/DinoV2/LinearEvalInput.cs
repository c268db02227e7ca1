using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// The DINOv2 linear-evaluation input (<c>create_linear_input</c> in dinov2/eval/linear.py): the class tokens
/// of the last n blocks concatenated, optionally followed by the mean patch token of the last block, in float32.
/// </summary>
public static class LinearEvalInput
{
    /// <param name="layers">Normalised outputs of the last n blocks in block order (as get_intermediate_layers gives them, not reshaped).</param>
    public static Tensor Build(IReadOnlyList<IntermediateLayer> layers, bool avgPool)
    {
        if (layers.Count == 0) throw new ArgumentException("At least one block output is needed.", nameof(layers));
        using var scope = NewDisposeScope();
        var parts = layers.Select(l => l.Cls).ToList();
        if (avgPool)
        {
            var patch = layers[^1].Patch;
            if (patch.dim() != 3) throw new ArgumentException("Patch tokens must be B×N×D (not reshaped).", nameof(layers));
            parts.Add(patch.mean([1]));
        }
        return cat(parts, -1).to(float32).MoveToOuterDisposeScope();
    }
}
