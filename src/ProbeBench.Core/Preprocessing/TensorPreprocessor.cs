using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProbeBench.Core.Preprocessing;

/// <summary>
/// Applies a <see cref="PreprocessRecipe"/> on the compute device, batched: images of one size travel as one
/// uint8 N×H×W×3 tensor (a quarter of the float bytes) and are converted, resized, cropped and normalized there
/// in float32, then cast to the requested dtype. Images of different sizes are resized one by one, then stacked.
/// </summary>
public sealed class TensorPreprocessor(PreprocessRecipe recipe) : IImagePreprocessor
{
    public PreprocessRecipe Recipe => recipe;

    public string Description => recipe.Canonical;

    public Tensor Apply(IReadOnlyList<RgbImage> images, Device device, ScalarType dtype)
    {
        if (images.Count == 0) throw new ArgumentException("No images to preprocess.", nameof(images));
        using var scope = NewDisposeScope();
        Tensor batch;
        if (images.All(i => i.Height == images[0].Height && i.Width == images[0].Width))
        {
            batch = Process(Upload(images, device));
        }
        else
        {
            var outputs = images.Select(i => Process(Upload([i], device))).ToArray();
            var first = outputs[0].shape;
            if (outputs.Any(o => o.shape[2] != first[2] || o.shape[3] != first[3]))
                throw new ProbeBenchException($"Recipe {recipe.Name} gives different output sizes for images of different sizes; add a center crop (crop=N) to the recipe.");
            batch = cat(outputs, 0);
        }
        return batch.to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>A batch already on the device as uint8 N × H × W × 3: converted, resized, cropped and normalized there.</summary>
    public Tensor Apply(Tensor pixels, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        return Process(pixels).to(dtype).MoveToOuterDisposeScope();
    }

    private static Tensor Upload(IReadOnlyList<RgbImage> images, Device device)
    {
        int h = images[0].Height, w = images[0].Width;
        var bytes = new byte[images.Count * h * w * 3];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Pixels.Length != h * w * 3)
                throw new ProbeBenchException($"An image claims {h}x{w} pixels but holds {images[i].Pixels.Length} bytes.");
            images[i].Pixels.CopyTo(bytes, i * h * w * 3);
        }
        return tensor(bytes, [images.Count, h, w, 3], ScalarType.Byte).to(device);
    }

    private Tensor Process(Tensor nhwc)
    {
        var x = nhwc.permute(0, 3, 1, 2).to(ScalarType.Float32).div(255.0);
        int height = (int)x.shape[2], width = (int)x.shape[3];
        var (rh, rw) = recipe.ResizedSize(height, width);
        if (rh != height || rw != width)
        {
            var mode = recipe.Mode == ResizeMode.Bicubic ? InterpolationMode.Bicubic : InterpolationMode.Bilinear;
            x = F.interpolate(x, size: [rh, rw], mode: mode, align_corners: false, antialias: recipe.Antialias);
        }
        if (recipe.CropHeight is { } ch && recipe.CropWidth is { } cw)
        {
            if (ch > rh || cw > rw)
                throw new ProbeBenchException($"Recipe {recipe.Name} crops {ch}x{cw} out of a {rh}x{rw} image.");
            // torchvision's center_crop: offsets int(round((size - crop) / 2)), Python rounding (half to even).
            var top = (int)Math.Round((rh - ch) / 2.0, MidpointRounding.ToEven);
            var left = (int)Math.Round((rw - cw) / 2.0, MidpointRounding.ToEven);
            x = x[.., .., top..(top + ch), left..(left + cw)];
        }
        var device = x.device;
        var mean = tensor(recipe.Mean.Select(m => (float)m).ToArray(), [1, 3, 1, 1]).to(device);
        var std = tensor(recipe.Std.Select(s => (float)s).ToArray(), [1, 3, 1, 1]).to(device);
        return x.sub(mean).div(std);
    }
}
