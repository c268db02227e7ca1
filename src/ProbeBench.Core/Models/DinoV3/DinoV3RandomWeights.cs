using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// A seeded random state dict in the official layout, for benchmarks and tests where only the architecture matters:
/// weights and biases ~ N(0, 0.02²), norm weights ~ 1 + N(0, 0.1²), LayerScale gammas ~ 0.1·(1 + N(0, 0.1²)). The
/// buffers are what the official init_weights makes: RoPE periods from the base (or min/max periods), and bias masks
/// of 1 for q and v and 0 for k. The caller owns the tensors.
/// </summary>
public static class DinoV3RandomWeights
{
    public static Dictionary<string, Tensor> Create(DinoV3Config config, long seed)
    {
        TorchRuntime.EnsureInitialized();
        config.Validated("random weights");
        using var generator = new Generator((ulong)seed);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, shape) in DinoV3StateDictLayout.ExpectedShapes(config))
        {
            using var scope = NewDisposeScope();
            var value = key switch
            {
                "rope_embed.periods" => Periods(config),
                _ when key.EndsWith(".bias_mask", StringComparison.Ordinal) => BiasMask(shape[0]),
                _ when key.EndsWith(".gamma", StringComparison.Ordinal) => randn(shape, generator: generator) * 0.01 + 0.1,
                _ when IsNormWeight(key) => randn(shape, generator: generator) * 0.1 + 1.0,
                _ => randn(shape, generator: generator) * 0.02,
            };
            weights[key] = value.DetachFromDisposeScope();
        }
        return weights;
    }

    /// <summary>The official RopePositionEmbedding._init_weights, in float32.</summary>
    public static Tensor Periods(DinoV3Config config)
    {
        var count = config.RopePeriods;
        if (config.RopeMinPeriod is { } min && config.RopeMaxPeriod is { } max)
        {
            var ratio = max / min;
            var exponents = linspace(0, 1, count, float32);
            return full(count, ratio, float32).pow(exponents) / ratio * max;
        }
        var powers = 2 * arange(count, float32) / (config.HeadDim / 2);
        return full(count, config.RopeBase, float32).pow(powers);
    }

    private static Tensor BiasMask(long outFeatures)
    {
        var mask = ones(outFeatures);
        mask.narrow(0, outFeatures / 3, 2 * outFeatures / 3 - outFeatures / 3).fill_(0);
        return mask;
    }

    private static bool IsNormWeight(string key) =>
        key is "norm.weight" or "local_cls_norm.weight" || key.EndsWith(".norm1.weight", StringComparison.Ordinal) || key.EndsWith(".norm2.weight", StringComparison.Ordinal);
}
