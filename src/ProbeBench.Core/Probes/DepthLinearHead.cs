using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The DINOv2 linear depth head (dinov2/eval/depth BNHead, whose BatchNorm is commented out): the features bilinearly
/// up-sampled ×<see cref="DepthProbeOptions.FeatureUpsample"/>, a 1×1 convolution to 256 depth-bin logits, "linear"
/// normalisation (relu, + 0.1, divided by the sum) and the bins' weighted centres (bins spaced linearly in [min, max]),
/// then a bilinear resize to the label size; or one channel with relu + min depth. Up-sampling and a 1×1 convolution are
/// both linear and commute (bilinear weights sum to one), so the convolution runs first, on the patch grid: the same
/// result with 256 channels up-sampled instead of the features' thousands.
/// </summary>
internal sealed class DepthLinearHead : Module
{
    /// <summary>The "linear" normalisation's offset (AdaBins' eps = 0.1).</summary>
    public const double LinearNormEpsilon = 0.1;

    private readonly Parameter convWeight;
    private readonly Parameter convBias;
    private readonly Tensor binCentres;
    private readonly DepthProbeOptions options;

    public DepthLinearHead(int channels, DepthProbeOptions options, Generator generator, Device device) : base("depth_linear_head")
    {
        this.options = options;
        var outputs = options.Output == DepthHeadOutput.Bins ? options.Bins : 1;
        // PyTorch's Conv2d default: U(−1/√fan_in, 1/√fan_in) for weight and bias, drawn here from the seeded generator.
        var bound = 1.0 / Math.Sqrt(channels);
        convWeight = Parameter(((rand([outputs, channels, 1, 1], generator: generator) * 2 - 1) * bound).to(device));
        convBias = Parameter(((rand([outputs], generator: generator) * 2 - 1) * bound).to(device));
        binCentres = linspace(options.MinDepth, options.MaxDepth, options.Bins, dtype: ScalarType.Float32, device: device);
        RegisterComponents();
    }

    /// <summary>n × D × h × w features → n × 1 × height × width depth.</summary>
    public Tensor Depth(Tensor features, long height, long width)
    {
        using var scope = NewDisposeScope();
        var logits = functional.conv2d(features, convWeight, convBias);
        var (n, h, w) = (logits.shape[0], logits.shape[2], logits.shape[3]);
        if (options.FeatureUpsample > 1)
        {
            (h, w) = (h * options.FeatureUpsample, w * options.FeatureUpsample);
            logits = functional.interpolate(logits, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        Tensor depth;
        if (options.Output == DepthHeadOutput.Bins)
        {
            var weights = functional.relu(logits) + LinearNormEpsilon;
            weights = weights / weights.sum(1, keepdim: true);
            depth = einsum("nkhw,k->nhw", weights, binCentres).unsqueeze(1);
        }
        else
        {
            depth = functional.relu(logits) + options.MinDepth;
        }
        var resized = functional.interpolate(depth.view(n, 1, h, w), [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.MoveToOuterDisposeScope();
    }
}
