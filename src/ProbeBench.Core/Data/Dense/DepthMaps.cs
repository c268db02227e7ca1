namespace ProbeBench.Core.Data.Dense;

/// <summary>
/// Turning stored depth into the metres a probe trains and is scored on: values outside (min, max) and outside the
/// evaluation crop become 0 (invalid), so every later stage scores exactly the protocol's pixels.
/// </summary>
public static class DepthLabelMaps
{
    /// <summary>
    /// Eigen et al.'s NYU crop in 480 × 640 coordinates, rows [45, 471) and columns [41, 601): the region the
    /// DINOv2 / BTS protocol scores (the border the registration leaves white is outside it).
    /// </summary>
    public static readonly (int Top, int Bottom, int Left, int Right) EigenCrop = (45, 471, 41, 601);

    /// <summary>Metres from stored values (<paramref name="scale"/> units per metre), invalid pixels 0.</summary>
    public static DenseLabelMap FromStored(ReadOnlySpan<ushort> stored, int height, int width, double scale, double min, double max, bool eigenCrop)
    {
        var metres = new float[(long)height * width];
        for (var i = 0; i < metres.Length; i++)
        {
            if (stored[i] == 0) continue;
            var depth = stored[i] / scale;
            metres[i] = depth > min && depth < max ? (float)depth : 0f;
        }
        var map = new DenseLabelMap(metres, height, width);
        return eigenCrop ? Cropped(map) : map;
    }

    /// <summary>Metres as stored (float), invalid pixels 0.</summary>
    public static DenseLabelMap FromMetres(float[] metres, int height, int width, double min, double max, bool eigenCrop)
    {
        for (var i = 0; i < metres.Length; i++)
            if (!(metres[i] > min && metres[i] < max)) metres[i] = 0f;
        var map = new DenseLabelMap(metres, height, width);
        return eigenCrop ? Cropped(map) : map;
    }

    /// <summary>Zeroes everything outside <see cref="EigenCrop"/>; only 480 × 640 maps have one.</summary>
    public static DenseLabelMap Cropped(DenseLabelMap map)
    {
        if (map.Height != 480 || map.Width != 640) return map;
        var (top, bottom, left, right) = EigenCrop;
        for (var y = 0; y < map.Height; y++)
            for (var x = 0; x < map.Width; x++)
                if (y < top || y >= bottom || x < left || x >= right) map.Values[y * map.Width + x] = 0f;
        return map;
    }
}
