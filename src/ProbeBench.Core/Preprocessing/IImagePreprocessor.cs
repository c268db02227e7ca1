using ProbeBench.Core.Data;
using ProbeBench.Core.Runtime;
using TorchSharp;

namespace ProbeBench.Core.Preprocessing;

/// <summary>Turns decoded images into a network input batch (B × 3 × H × W) on a device.</summary>
public interface IImagePreprocessor
{
    /// <summary>Canonical text of the recipe and its parameters (part of feature-cache keys).</summary>
    string Description { get; }

    torch.Tensor Apply(IReadOnlyList<RgbImage> images, torch.Device device, torch.ScalarType dtype);

    /// <summary>
    /// The same for a batch of equally sized images already on the device, as uint8 N × H × W × 3 (the extraction
    /// pipeline uploads them itself, from pinned memory). The default goes back through the images.
    /// </summary>
    torch.Tensor Apply(torch.Tensor pixels, torch.ScalarType dtype)
    {
        var (n, h, w) = ((int)pixels.shape[0], (int)pixels.shape[1], (int)pixels.shape[2]);
        var bytes = TensorCopy.ToArray<byte>(pixels);
        var images = Enumerable.Range(0, n).Select(i => new RgbImage(bytes.AsSpan(i * h * w * 3, h * w * 3).ToArray(), h, w)).ToArray();
        return Apply(images, pixels.device, dtype);
    }
}
