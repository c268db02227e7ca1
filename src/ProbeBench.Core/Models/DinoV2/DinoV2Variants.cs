using System.Text.RegularExpressions;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// The official DINOv2 backbones (torch hub <c>facebookresearch/dinov2</c>) with the checkpoints Meta serves for them
/// (the files torch.hub downloads; Meta pins no digest, so a run records the sha256 it saw).
/// </summary>
public static partial class DinoV2Variants
{
    public const string BaseUrl = "https://dl.fbaipublicfiles.com/dinov2/";

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

    public const string ShortNames = "s, b, l, g, vits14, s14, ... (add _reg for registers)";

    /// <summary>The variant with this hub name (case-insensitive); throws listing the known names otherwise.</summary>
    public static DinoV2Variant Get(string name) =>
        Find(name) ?? throw new ProbeBenchException(
            $"Unknown model '{name}'; known DINOv2 models: {string.Join(", ", All.Select(v => v.Name))} (or {ShortNames}).");

    public static DinoV2Variant? TryGet(string name) => Find(name);

    /// <summary>
    /// The variant a name stands for: the hub name (<c>dinov2_vits14_reg</c>), the published file's spelling
    /// (<c>_reg4</c>), and short forms with or without the <c>dinov2_</c> prefix: <c>vits14</c>, <c>s14</c>, <c>s</c>
    /// (reference_bench.py's keys), each with <c>_reg</c>/<c>_reg4</c>. Case-insensitive; null when none matches.
    /// </summary>
    public static DinoV2Variant? Find(string name)
    {
        var match = NamePattern().Match(name.Trim().ToLowerInvariant());
        if (!match.Success) return null;
        var hub = $"dinov2_vit{match.Groups["size"].Value}14{(match.Groups["reg"].Success ? "_reg" : "")}";
        return All.FirstOrDefault(v => v.Name == hub);
    }

    [GeneratedRegex(@"^(dinov2_)?(vit)?(?<size>[sblg])(14)?(?<reg>_reg4?)?$")]
    private static partial Regex NamePattern();

    // Register models were trained with interpolate_offset 0 and antialiased interpolation (hub: _make_dinov2_model).
    private static DinoV2Variant Make(string arch, int dim, int depth, int heads, FfnLayer ffn, bool registers)
    {
        var name = registers ? $"dinov2_{arch}_reg" : $"dinov2_{arch}";
        var file = registers ? $"dinov2_{arch}_reg4_pretrain.pth" : $"dinov2_{arch}_pretrain.pth";
        var config = new DinoV2Config(dim, depth, heads, ffn,
            NumRegisterTokens: registers ? 4 : 0,
            InterpolateOffset: registers ? 0.0 : 0.1,
            InterpolateAntialias: registers);
        return new DinoV2Variant(name, config, new OfficialCheckpoint(name, file, new Uri($"{BaseUrl}dinov2_{arch}/{file}")));
    }
}
