using System.Globalization;

namespace ProbeBench.Core.Preprocessing;

/// <summary>
/// Resolves the <c>--recipe</c> option: a named recipe (dinov2-eval, resize-224, dinov3-eval, dinov3-sat-eval), or a custom one written as
/// <c>custom:size=224[,short][,crop=224][,bicubic|bilinear][,noaa][,mean=a/b/c][,std=a/b/c]</c>
/// (mean/std default to ImageNet's); <c>size=HxW</c> resizes to exactly H × W (dense datasets keep the whole image so).
/// </summary>
public static class PreprocessRecipes
{
    /// <summary>
    /// The largest resize or crop side a custom recipe may ask for (DINOv2 evaluates at 224 to 518; dense tasks rarely
    /// go past 1024). Beyond it one image alone would take gigabytes.
    /// </summary>
    public const int MaxSide = 4096;

    public const string Help = "dinov2-eval, resize-224, dinov3-eval, dinov3-sat-eval, or custom:size=N|HxW[,short][,crop=N][,bicubic|bilinear][,noaa][,mean=a/b/c][,std=a/b/c]";

    public static PreprocessRecipe Parse(string text)
    {
        var t = text.Trim();
        var named = PreprocessRecipe.Named.FirstOrDefault(r => string.Equals(r.Name, t, StringComparison.OrdinalIgnoreCase));
        if (named is not null) return named;
        if (!t.StartsWith("custom:", StringComparison.OrdinalIgnoreCase))
            throw new ProbeBenchException($"--recipe {text} is not known; use {Help}.");

        int? size = null, width = null, crop = null;
        var shorter = false;
        var mode = ResizeMode.Bicubic;
        var antialias = true;
        var mean = PreprocessRecipe.ImageNetMean;
        var std = PreprocessRecipe.ImageNetStd;
        foreach (var part in t["custom:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = part.Contains('=') ? (part[..part.IndexOf('=')], part[(part.IndexOf('=') + 1)..]) : (part, "");
            switch (key.ToLowerInvariant())
            {
                case "size" when value.Contains('x'):
                    size = Positive(value[..value.IndexOf('x')], text);
                    width = Positive(value[(value.IndexOf('x') + 1)..], text);
                    break;
                case "size": size = Positive(value, text); break;
                case "crop": crop = Positive(value, text); break;
                case "short": shorter = true; break;
                case "bicubic": mode = ResizeMode.Bicubic; break;
                case "bilinear": mode = ResizeMode.Bilinear; break;
                case "noaa": antialias = false; break;
                case "mean": mean = Triple(value, text); break;
                case "std": std = Triple(value, text); break;
                default: throw new ProbeBenchException($"--recipe {text}: '{part}' is not a recipe setting; use {Help}.");
            }
        }
        if (size is null) throw new ProbeBenchException($"--recipe {text} needs size=N.");
        if (std.Any(s => s <= 0)) throw new ProbeBenchException($"--recipe {text}: std values must be positive.");
        if (width is not null && shorter) throw new ProbeBenchException($"--recipe {text}: size=HxW is an exact size; it does not combine with short.");
        return new PreprocessRecipe(t, size.Value, width ?? size.Value, shorter, mode, antialias, crop, crop, mean, std);
    }

    private static int Positive(string value, string text)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new ProbeBenchException($"--recipe {text}: '{value}' is not a positive integer.");
        return n <= MaxSide ? n : throw new ProbeBenchException($"--recipe {text}: {n} pixels is beyond the limit of {MaxSide} per side.");
    }

    private static IReadOnlyList<double> Triple(string value, string text)
    {
        var parts = value.Split('/');
        var numbers = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToList();
        return numbers.Count == 3 && numbers.All(double.IsFinite)
            ? numbers
            : throw new ProbeBenchException($"--recipe {text}: '{value}' must be three numbers separated by '/'.");
    }
}
