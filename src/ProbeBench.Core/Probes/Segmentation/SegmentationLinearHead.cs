using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ProbeBench.Core.Probes.Segmentation;

/// <summary>
/// DINOv2's linear segmentation head (dinov2/eval/segmentation BNHead on mmseg's decode head): BatchNorm over the
/// concatenated features, a 1×1 convolution to class logits (weights N(0, 0.01²), bias 0, as mmseg initialises
/// conv_seg), bilinear resize of the logits to the label size (align_corners false).
/// </summary>
internal sealed class SegmentationLinearHead : Module
{
    private readonly Parameter normWeight;
    private readonly Parameter normBias;
    private readonly Tensor runningMean;
    private readonly Tensor runningVar;
    private readonly Parameter convWeight;
    private readonly Parameter convBias;

    public SegmentationLinearHead(int channels, int classes, Generator generator, Device device) : base("segmentation_linear_head")
    {
        normWeight = Parameter(ones(channels, device: device));
        normBias = Parameter(zeros(channels, device: device));
        runningMean = zeros(channels, device: device);
        runningVar = ones(channels, device: device);
        convWeight = Parameter((randn([classes, channels, 1, 1], generator: generator) * 0.01).to(device));
        convBias = Parameter(zeros(classes, device: device));
        RegisterComponents();
    }

    /// <summary>n × D × h × w features → n × classes × height × width logits.</summary>
    public Tensor Logits(Tensor features, long height, long width)
    {
        using var scope = NewDisposeScope();
        var x = functional.batch_norm(features, runningMean, runningVar, normWeight, normBias, training, 0.1, 1e-5);
        var logits = functional.conv2d(x, convWeight, convBias);
        return functional.interpolate(logits, [height, width], mode: InterpolationMode.Bilinear, align_corners: false).MoveToOuterDisposeScope();
    }
}
