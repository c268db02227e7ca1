using TorchSharp;

namespace ProbeBench.Core.Kernel;

/// <summary>The precision option's names (fp32, fp16, bf16) and their TorchSharp dtypes.</summary>
public static class PrecisionNames
{
    /// <summary>The names the precision setting takes.</summary>
    public static IReadOnlyList<string> All { get; } = ["fp32", "fp16", "bf16"];

    public static torch.ScalarType ToScalarType(string precision) => precision.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => torch.ScalarType.Float32,
        "fp16" or "float16" or "half" => torch.ScalarType.Float16,
        "bf16" or "bfloat16" => torch.ScalarType.BFloat16,
        _ => throw new ProbeBenchException($"--precision {precision} is not supported; use fp32, fp16 or bf16."),
    };

    /// <summary>Bytes per value in that precision (4 for fp32, 2 for fp16 and bf16).</summary>
    public static int ElementBytes(string precision) => ToScalarType(precision) == torch.ScalarType.Float32 ? 4 : 2;
}
