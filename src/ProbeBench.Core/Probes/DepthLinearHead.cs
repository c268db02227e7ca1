using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The DINOv2 linear depth head: optional bilinear up-sampling of the feature grid, BatchNorm over the
/// channels, a 1×1 convolution (done as one addmm over all positions) to depth-bin logits or one channel,
/// depth from the bins' softmax-weighted centres (or relu + min depth), bilinear resize to the label size.
/// </summary>
internal sealed class DepthLinearHead : Module
{
    private readonly Parameter normWeight;
    private readonly Parameter normBias;
    private readonly Tensor runningMean;
    private readonly Tensor runningVar;
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
        normWeight = Parameter(ones(channels, device: device));
        normBias = Parameter(zeros(channels, device: device));
        runningMean = zeros(channels, device: device);
        runningVar = ones(channels, device: device);
        convWeight = Parameter(((rand([outputs, channels], generator: generator) * 2 - 1) * bound).to(device));
        convBias = Parameter(((rand([outputs], generator: generator) * 2 - 1) * bound).to(device));
        binCentres = linspace(options.MinDepth, options.MaxDepth, options.Bins, dtype: ScalarType.Float32, device: device);
        RegisterComponents();
    }

    /// <summary>n × D × h × w features → n × 1 × height × width depth.</summary>
    public Tensor Depth(Tensor features, long height, long width)
    {
        using var scope = NewDisposeScope();
        var x = features;
        var (n, channels, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        if (options.FeatureUpsample > 1)
        {
            (h, w) = (h * options.FeatureUpsample, w * options.FeatureUpsample);
            x = functional.interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        x = functional.batch_norm(x, runningMean, runningVar, normWeight, normBias, training, 0.1, 1e-5);
        var flat = x.permute(0, 2, 3, 1).reshape(-1, channels);
        var output = addmm(convBias, flat, convWeight.t(), 1, 1);
        var depth = options.Output == DepthHeadOutput.Bins
            ? mv(output.softmax(1), binCentres)
            : functional.relu(output.squeeze(1)) + options.MinDepth;
        var grid = depth.view(n, 1, h, w);
        var resized = functional.interpolate(grid, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.MoveToOuterDisposeScope();
    }
}
