namespace ProbeBench.Core.Models;

/// <summary>The official DINOv2 backbones (torch hub <c>facebookresearch/dinov2</c>).</summary>
public static class DinoV2Variants
{
    public static readonly IReadOnlyList<DinoV2Variant> All =
    [
        Make("vits14", 384, 12, 6, FfnLayer.Mlp, registers: false),
        Make("vitb14", 768, 12, 12, FfnLayer.Mlp, registers: false),
        Make("vitl14", 1024, 24, 16, FfnLayer.Mlp, registers: false),
        Make("vitg14", 1536, 40, 24, FfnLayer.SwiGluFused, registers: false),
        Make("vits14", 384, 12, 6, FfnLayer.Mlp, registers: true),
        Make("vitb14", 768, 12, 12, FfnLayer.Mlp, registers: true),
        Make("vitl14", 1024, 24, 16, FfnLayer.Mlp, registers: true),
        Make("vitg14", 1536, 40, 24, FfnLayer.SwiGluFused, registers: true),
    ];

    /// <summary>The variant with this hub name (case-insensitive); throws listing the known names otherwise.</summary>
    public static DinoV2Variant Get(string name) =>
        TryGet(name) ?? throw new ProbeBenchException(
            $"Unknown model '{name}'; known DINOv2 models: {string.Join(", ", All.Select(v => v.Name))}.");

    public static DinoV2Variant? TryGet(string name) =>
        All.FirstOrDefault(v => string.Equals(v.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    // Register models were trained with interpolate_offset 0 and antialiased interpolation (hub: _make_dinov2_model).
    private static DinoV2Variant Make(string arch, int dim, int depth, int heads, FfnLayer ffn, bool registers)
    {
        var baseName = $"dinov2_{arch}";
        var config = new DinoV2Config(dim, depth, heads, ffn,
            NumRegisterTokens: registers ? 4 : 0,
            InterpolateOffset: registers ? 0.0 : 0.1,
            InterpolateAntialias: registers);
        return new DinoV2Variant(registers ? $"{baseName}_reg" : baseName, config);
    }
}
