using System.Text.RegularExpressions;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The published DINOv3 ViTs with the hyper-parameters of dinov3/hub/backbones.py and the file each checkpoint is
/// published under (<c>dinov3_&lt;arch&gt;_pretrain_&lt;weights&gt;-&lt;hash&gt;.pth</c>, the hash being the start of its sha256).
/// Meta hands the files out only through a link it sends after a license request, so none is downloaded.
/// </summary>
public static partial class DinoV3Variants
{
    public const string DownloadPage = "https://ai.meta.com/resources/models-and-libraries/dinov3-downloads/";

    public const string ObtainFrom = $"Meta sends a download link after a license request at {DownloadPage}";

    public static readonly IReadOnlyList<DinoV3Variant> All =
    [
        Make("vits16", 384, 12, 6, "mlp", 4, DinoV3Weights.Lvd1689M, "08c60483"),
        Make("vits16plus", 384, 12, 6, "swiglu", 6, DinoV3Weights.Lvd1689M, "4057cbaa"),
        Make("vitb16", 768, 12, 12, "mlp", 4, DinoV3Weights.Lvd1689M, "73cec8be"),
        Make("vitl16", 1024, 24, 16, "mlp", 4, DinoV3Weights.Lvd1689M, "8aa4cbdd"),
        Make("vitl16plus", 1024, 24, 16, "swiglu", 6, DinoV3Weights.Lvd1689M, "46503df0"),
        Make("vith16plus", 1280, 32, 20, "swiglu", 6, DinoV3Weights.Lvd1689M, "7c1da9a5"),
        Make("vit7b16", 4096, 40, 32, "swiglu64", 3, DinoV3Weights.Lvd1689M, "a955f4ea", qkvBias: false, untieLocalClsNorm: true),
        Make("vitl16", 1024, 24, 16, "mlp", 4, DinoV3Weights.Sat493M, "eadcf0ff", untieLocalClsNorm: true),
        Make("vit7b16", 4096, 40, 32, "swiglu64", 3, DinoV3Weights.Sat493M, "a6675841", qkvBias: false, untieLocalClsNorm: true),
    ];

    public const string ShortNames = "s16, s16plus, b16, l16, l16plus, h16plus, 7b16, vitb16, dinov3_b, ... (add _sat for SAT-493M weights of l16 and 7b16)";

    /// <summary>
    /// The variant a name stands for, case-insensitive: the hub name (<c>dinov3_vith16plus</c>), with the weights' name
    /// (<c>_lvd1689m</c>, <c>_sat493m</c>, or <c>_lvd</c>, <c>_sat</c>), the published file name (with or without
    /// <c>_pretrain</c>, hash and <c>.pth</c>), and short forms: <c>vitb16</c>, <c>b16</c>, <c>h16+</c>, <c>7b16</c>, and
    /// with the <c>dinov3_</c> prefix also without the patch size (<c>dinov3_b</c>). Null when none matches.
    /// </summary>
    public static DinoV3Variant? Find(string name)
    {
        var match = NamePattern().Match(name.Trim().ToLowerInvariant());
        if (!match.Success) return null;
        var size = match.Groups["size"].Success ? match.Groups["size"].Value : match.Groups["bare"].Value;
        var plus = match.Groups["plus"].Success || match.Groups["bareplus"].Success;
        var arch = $"vit{size}16{(plus ? "plus" : "")}";
        var weights = match.Groups["weights"].Value.StartsWith("sat", StringComparison.Ordinal) ? DinoV3Weights.Sat493M : DinoV3Weights.Lvd1689M;
        var variant = All.FirstOrDefault(v => v.Arch == arch && v.Weights == weights);
        if (variant is null || !match.Groups["hash"].Success) return variant;
        return variant.Checkpoint.Sha256Prefix == match.Groups["hash"].Value ? variant : null;
    }

    // With the dinov3_ prefix the patch size may be left out; without it, "16" is what tells a DINOv3 short name from
    // DINOv2's (s, b, l, g, s14, ...).
    [GeneratedRegex(@"^(?:dinov3_(?:vit)?(?<size>s|b|l|h|7b)(?:16)?(?<plus>plus|\+)?|(?:vit)?(?<bare>s|b|l|h|7b)16(?<bareplus>plus|\+)?)(?:(?:_pretrain)?_(?<weights>lvd1689m|lvd|sat493m|sat)(?:-(?<hash>[0-9a-f]{8}))?(?:\.pth)?)?$")]
    private static partial Regex NamePattern();

    private static DinoV3Variant Make(string arch, int dim, int depth, int heads, string ffn, double ffnRatio, DinoV3Weights weights, string hash,
        bool qkvBias = true, bool untieLocalClsNorm = false)
    {
        var weightsName = weights == DinoV3Weights.Lvd1689M ? "lvd1689m" : "sat493m";
        var name = weights == DinoV3Weights.Lvd1689M ? $"dinov3_{arch}" : $"dinov3_{arch}_{weightsName}";
        var file = $"dinov3_{arch}_pretrain_{weightsName}-{hash}.pth";
        var config = new DinoV3Config(dim, depth, heads, ffn, DinoV3Ffn.HiddenDim(ffn, dim, ffnRatio),
            QkvBias: qkvBias, UntieGlobalAndLocalClsNorm: untieLocalClsNorm);
        var checkpoint = new OfficialCheckpoint(name, file, Url: null) { ObtainFrom = ObtainFrom, Sha256Prefix = hash };
        return new DinoV3Variant(name, arch, weights, config, checkpoint);
    }
}
