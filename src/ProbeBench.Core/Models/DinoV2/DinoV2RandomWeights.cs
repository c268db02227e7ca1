using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// A seeded random state dict in the official layout, for benchmarks and tests where only the architecture
/// matters: weights and biases ~ N(0, 0.02²), norm weights ~ 1 + N(0, 0.1²), layer-scale gammas ~ 0.1·(1 + N(0, 0.1²)).
/// The caller owns the tensors.
/// </summary>
public static class DinoV2RandomWeights
{
    public static Dictionary<string, Tensor> Create(DinoV2Config config, long seed)
    {
        TorchRuntime.EnsureInitialized();
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, shape) in DinoV2StateDictLayout.ExpectedShapes(config))
        {
            using var noise = randn(shape, generator: generator);
            var value = key switch
            {
                _ when key.EndsWith(".gamma", StringComparison.Ordinal) => noise * 0.01 + 0.1,
                _ when IsNormWeight(key) => noise * 0.1 + 1.0,
                _ => noise * 0.02,
            };
            weights[key] = value.DetachFromDisposeScope();
        }
        return weights;
    }

    private static bool IsNormWeight(string key) =>
        key == "norm.weight" || key.EndsWith(".norm1.weight", StringComparison.Ordinal) || key.EndsWith(".norm2.weight", StringComparison.Ordinal);
}
