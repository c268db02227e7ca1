using System.Globalization;

namespace ProbeBench.Core.Models;

/// <summary>
/// The largest architecture ProbeBench reads or builds, far beyond any published backbone (DINOv2 ViT-g/14: depth 40,
/// width 1536, 24 heads; DINOv3 ViT-7B: depth 40, width 4096). A config or state dict beyond them is refused before
/// anything is allocated, looped over or multiplied out, so a hostile <c>num_hidden_layers: 2000000000</c> cannot hang
/// or overflow a run.
/// </summary>
public static class ArchitectureLimits
{
    public const int MaxDepth = 256;
    public const int MaxEmbedDim = 16384;

    /// <summary>The largest model config file read (config.json, a DINOv3 config): far beyond any real one.</summary>
    public const long MaxConfigBytes = 1 << 20;
    public const int MaxHeads = 1024;
    public const int MaxPatchSize = 256;
    public const int MaxImageSize = 8192;
    public const int MaxChannels = 64;
    public const int MaxRegisterTokens = 1024;
    public const double MaxMlpRatio = 64;

    /// <summary>A hundred billion parameters: 14× the largest DINOv3, 90× ViT-g.</summary>
    public const long MaxParameters = 100_000_000_000;

    /// <summary>Why <paramref name="value"/> is not in [<paramref name="min"/>, <paramref name="max"/>], or null.</summary>
    public static string? Range(string what, long value, long min, long max) =>
        value >= min && value <= max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{what} is {value}; ProbeBench accepts {min} to {max}");

    /// <summary>Why a ViT of <paramref name="config"/> cannot take a <paramref name="height"/> × <paramref name="width"/> input (whole patches only), or null.</summary>
    public static string? InputSizeProblem(IBackboneConfig config, int height, int width) =>
        height > 0 && width > 0 && height % config.PatchSize == 0 && width % config.PatchSize == 0
            ? null
            : $"{height}x{width} is not a multiple of the patch size {config.PatchSize}";

    /// <summary>Why <paramref name="value"/> is not a finite number in (<paramref name="above"/>, <paramref name="max"/>], or null.</summary>
    public static string? Range(string what, double value, double above, double max) =>
        double.IsFinite(value) && value > above && value <= max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{what} is {value:R}; ProbeBench accepts a number above {above:R} and at most {max:R}");

    /// <summary>
    /// The block index of a state-dict key (<paramref name="digits"/> as matched after <c>blocks.</c> or
    /// <c>encoder.layer.</c>): plain ASCII digits below <see cref="MaxDepth"/>; an error naming the key otherwise.
    /// </summary>
    public static int BlockIndex(string digits, string key, string source)
    {
        if (digits.Length == 0 || digits.Any(c => c is < '0' or > '9'))
            throw new ProbeBenchException($"{source}: the key '{key}' has a block index '{digits}' that is not a plain number (0-9).");
        if (digits.Length > 9 || int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) >= MaxDepth)
            throw new ProbeBenchException($"{source}: the key '{key}' has block index {digits}; ProbeBench reads at most {MaxDepth} blocks (0 to {MaxDepth - 1}).");
        return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
