using ProbeBench.Core.Data;
using TorchSharp;

namespace ProbeBench.Core.Preprocessing;

/// <summary>Turns decoded images into a network input batch (B × 3 × H × W) on a device.</summary>
public interface IImagePreprocessor
{
    /// <summary>Canonical text of the recipe and its parameters (part of feature-cache keys).</summary>
    string Description { get; }

    torch.Tensor Apply(IReadOnlyList<RgbImage> images, torch.Device device, torch.ScalarType dtype);
}
