using static TorchSharp.torch;

namespace ProbeBench.Core.Probes.Dense;

/// <summary>
/// Where a dense probe gets its training and test data, a batch of images at a time (from the feature cache, from a
/// backbone run per step, or from memory in tests): the probe's input features on the patch grid and the labels.
/// </summary>
public interface IDenseBatchSource
{
    int Images { get; }

    /// <summary>Channels of <see cref="Features"/>.</summary>
    int Channels { get; }

    int GridHeight { get; }
    int GridWidth { get; }

    /// <summary>Size of <see cref="Labels"/>' maps.</summary>
    int LabelHeight { get; }
    int LabelWidth { get; }

    /// <summary>n × <see cref="Channels"/> × grid height × grid width float32 features of the images, on <paramref name="device"/>.</summary>
    Tensor Features(long[] images, Device device);

    /// <summary>n × label height × label width float32 labels (depth in metres, 0 invalid; or class indices, 255 ignored).</summary>
    Tensor Labels(long[] images, Device device);
}
