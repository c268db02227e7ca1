namespace ProbeBench.Core.Models.DinoV3;

/// <summary>The feed-forward layers of DINOv3 (<c>ffn_layer_dict</c>) and the hidden widths they derive.</summary>
public static class DinoV3Ffn
{
    public const string Mlp = "mlp";

    /// <summary>mlp (fc1 → GELU → fc2) and SwiGLUFFN (w3(SiLU(w1 x) · w2 x)) with its alignments.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mlp, "swiglu", "swiglu32", "swiglu64", "swiglu128"];

    /// <summary>
    /// The hidden width the official code builds: <c>int(dim · ffn_ratio)</c>; for SwiGLU then <c>d = int(hidden · 2 / 3)</c>
    /// rounded up to the alignment (8, or the number after "swiglu").
    /// </summary>
    public static int HiddenDim(string ffnLayer, int embedDim, double ffnRatio)
    {
        if (!Names.Contains(ffnLayer)) throw new ArgumentException($"'{ffnLayer}' is not a DINOv3 ffn_layer.", nameof(ffnLayer));
        var hidden = (int)(embedDim * ffnRatio);
        if (ffnLayer == Mlp) return hidden;
        var align = ffnLayer == "swiglu" ? 8 : int.Parse(ffnLayer["swiglu".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var d = (int)(hidden * 2 / 3.0);
        return d + ((align - d % align) % align);
    }
}
