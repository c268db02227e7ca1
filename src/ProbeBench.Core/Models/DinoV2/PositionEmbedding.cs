using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// Position embeddings for an h×w patch grid, exactly as the official <c>interpolate_pos_encoding</c>:
/// bicubic over the stored grid in float32, with scale factors ((h+offset)/M, (w+offset)/M) when the offset is
/// non-zero (the kernel then maps coordinates with those factors, not with the output size) and the target
/// size otherwise; antialias per variant. The stored table is used as is at the native square grid.
/// </summary>
public static class PositionEmbedding
{
    /// <param name="posEmbed">1×(1+M²)×D, class position first.</param>
    /// <returns>1×(1+h·w)×D in <paramref name="posEmbed"/>'s dtype.</returns>
    public static Tensor ForGrid(Tensor posEmbed, int h, int w, double offset, bool antialias)
    {
        var stored = posEmbed.shape[1] - 1;
        var m = (int)Math.Round(Math.Sqrt(stored));
        if (m * m != stored) throw new ArgumentException($"pos_embed holds {stored} patch positions, not a square grid.", nameof(posEmbed));
        if (h == m && w == m) return posEmbed.alias();

        using var scope = NewDisposeScope();
        var dim = posEmbed.shape[2];
        var table = posEmbed.to(float32);
        var classPos = table[.., 0].unsqueeze(0);
        var grid = table[.., 1..].reshape(1, m, m, dim).permute(0, 3, 1, 2);
        var resized = offset != 0
            ? nn.functional.interpolate(grid, scale_factor: [(h + offset) / m, (w + offset) / m],
                mode: InterpolationMode.Bicubic, align_corners: false, recompute_scale_factor: false, antialias: antialias)
            : nn.functional.interpolate(grid, size: [h, w],
                mode: InterpolationMode.Bicubic, align_corners: false, antialias: antialias);
        if (resized.shape[2] != h || resized.shape[3] != w)
            throw new InvalidOperationException($"Position interpolation gave {resized.shape[2]}x{resized.shape[3]}, not {h}x{w}.");
        var patchPos = resized.permute(0, 2, 3, 1).reshape(1, -1, dim);
        return cat([classPos, patchPos], 1).to(posEmbed.dtype).MoveToOuterDisposeScope();
    }
}
