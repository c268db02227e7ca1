using ProbeBench.Core.Data.Dense;

namespace ProbeBench.Core.Preprocessing;

/// <summary>
/// Where a dense split's labels are stored and scored. When the recipe keeps the whole image (no crop) and the format fixes
/// one label size (NYU's labelled set), labels stay at their own size and predictions are resized to it, exactly as the
/// DINOv2 depth protocol scores. Otherwise labels follow the image: the recipe's resize with nearest neighbour (no value is
/// invented between classes or between a valid depth and a hole) and its center crop, to the network input size.
/// </summary>
public sealed record DenseLabelGeometry(int Height, int Width, bool Native)
{
    public static DenseLabelGeometry For(PreprocessRecipe recipe, IDenseDataset dataset, int sampleHeight, int sampleWidth)
    {
        if (recipe.CropHeight is null && dataset.FixedLabelSize is { } fixedSize)
            return new DenseLabelGeometry(fixedSize.Height, fixedSize.Width, Native: true);
        var (h, w) = recipe.OutputSize(sampleHeight, sampleWidth);
        return new DenseLabelGeometry(h, w, Native: false);
    }

    /// <summary>An image's labels in this geometry (the label map must have the image's size).</summary>
    public DenseLabelMap Apply(PreprocessRecipe recipe, DenseLabelMap labels, int imageHeight, int imageWidth, string what)
    {
        if (labels.Height != imageHeight || labels.Width != imageWidth)
            throw new ProbeBenchException($"{what}: the label map is {labels.Height}×{labels.Width} but its image is {imageHeight}×{imageWidth}.");
        var source = SourcePixels(recipe, imageHeight, imageWidth, what);
        if (source is null) return labels;
        var values = new float[source.Length];
        for (var i = 0; i < source.Length; i++) values[i] = labels.Values[source[i]];
        return new DenseLabelMap(values, Height, Width);
    }

    /// <summary>The image in this geometry (nearest neighbour: for showing beside labels and predictions, not for the network).</summary>
    public Data.RgbImage Apply(PreprocessRecipe recipe, Data.RgbImage image, string what)
    {
        var source = SourcePixels(recipe, image.Height, image.Width, what);
        if (source is null) return image;
        var pixels = new byte[source.Length * 3];
        for (var i = 0; i < source.Length; i++)
        {
            pixels[3 * i] = image.Pixels[3 * source[i]];
            pixels[3 * i + 1] = image.Pixels[3 * source[i] + 1];
            pixels[3 * i + 2] = image.Pixels[3 * source[i] + 2];
        }
        return new Data.RgbImage(pixels, Height, Width);
    }

    /// <summary>
    /// For every pixel of this geometry, the pixel of an <paramref name="imageHeight"/> × <paramref name="imageWidth"/> image
    /// it comes from: PyTorch's nearest resize (source floor(destination · in / out)) to the recipe's resized size, then the
    /// image's center crop (torchvision's offsets, int(round((size − crop) / 2)) with half to even). Null for native labels.
    /// </summary>
    public int[]? SourcePixels(PreprocessRecipe recipe, int imageHeight, int imageWidth, string what)
    {
        if (Native)
            return imageHeight == Height && imageWidth == Width ? null
                : throw new ProbeBenchException($"{what} is {imageHeight}×{imageWidth}, not the {Height}×{Width} every image of this split has.");
        var (rh, rw) = recipe.ResizedSize(imageHeight, imageWidth);
        int top = 0, left = 0, oh = rh, ow = rw;
        if (recipe.CropHeight is { } ch && recipe.CropWidth is { } cw)
        {
            if (ch > rh || cw > rw) throw new ProbeBenchException($"Recipe {recipe.Name} crops {ch}x{cw} out of a {rh}x{rw} image.");
            top = (int)Math.Round((rh - ch) / 2.0, MidpointRounding.ToEven);
            left = (int)Math.Round((rw - cw) / 2.0, MidpointRounding.ToEven);
            (oh, ow) = (ch, cw);
        }
        if (oh != Height || ow != Width)
            throw new ProbeBenchException($"{what}: the recipe gives {oh}×{ow} labels where the split's first image gave {Height}×{Width}; add a center crop (crop=N) or an exact size (size=HxW).");
        double sy = (double)imageHeight / rh, sx = (double)imageWidth / rw;
        var columns = new int[ow];
        for (var x = 0; x < ow; x++) columns[x] = Math.Min((int)Math.Floor((x + left) * sx), imageWidth - 1);
        var source = new int[oh * ow];
        for (var y = 0; y < oh; y++)
        {
            var row = Math.Min((int)Math.Floor((y + top) * sy), imageHeight - 1) * imageWidth;
            for (var x = 0; x < ow; x++) source[y * ow + x] = row + columns[x];
        }
        return source;
    }
}
