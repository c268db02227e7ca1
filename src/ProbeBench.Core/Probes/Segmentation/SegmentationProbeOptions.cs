using ProbeBench.Core.Probes.Dense;

namespace ProbeBench.Core.Probes.Segmentation;

/// <summary>Settings of the linear segmentation probe (<see cref="SegmentationProbeTrainer"/>).</summary>
public sealed record SegmentationProbeOptions
{
    /// <summary>Classes scored (labels 0 … Classes − 1; <see cref="IgnoreIndex"/> is not scored).</summary>
    public int Classes { get; init; }

    public int IgnoreIndex { get; init; } = 255;

    /// <summary>mmseg's DINOv2 linear config: AdamW, lr 1e-3, weight decay 1e-4, linear warm-up then poly (power 1) decay.</summary>
    public DenseTrainingOptions Training { get; init; } = new() { LearningRate = 1e-3, WeightDecay = 1e-4 };
}
