using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// Checks the buffers a DINOv3 checkpoint carries before a model is built from them. The official code uses whatever
/// they hold; values its initialisation can never produce (a NaN bias_mask left uninitialised, non-positive periods)
/// would silently corrupt every output, so they are refused with the key named.
/// </summary>
internal static class DinoV3BufferCheck
{
    public static void Verify(DinoV3Config config, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        using var scope = NewDisposeScope();
        var periods = stateDict["rope_embed.periods"];
        if (!periods.is_floating_point() || !periods.isfinite().all().item<bool>() || !(periods > 0).all().item<bool>())
            throw new ProbeBenchException($"{source}: rope_embed.periods must hold positive finite numbers.");
        if (!config.HasBiasMask) return;
        for (var i = 0; i < config.Depth; i++)
        {
            var key = $"blocks.{i}.attn.qkv.bias_mask";
            var mask = stateDict[key];
            if (!mask.eq(0).logical_or(mask.eq(1)).all().item<bool>())
                throw new ProbeBenchException($"{source}: {key} holds values other than 0 and 1; the official code sets it to 1 for q and v and 0 for k.");
        }
    }
}
