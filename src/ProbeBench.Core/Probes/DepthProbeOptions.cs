using ProbeBench.Core.Probes.Dense;

namespace ProbeBench.Core.Probes;

/// <summary>How the depth probe turns its 1×1 convolution into depth.</summary>
public enum DepthHeadOutput
{
    /// <summary>DINOv2's choice: logits over depth bins spaced linearly in [min, max], "linear" normalisation, weighted bin centres.</summary>
    Bins,

    /// <summary>One channel; depth = relu(output) + min depth.</summary>
    Direct,
}

/// <summary>Settings of the DINOv2 depth linear probe (<see cref="DepthProbeTrainer"/>).</summary>
public sealed record DepthProbeOptions
{
    public double MinDepth { get; init; } = 1e-3;

    public double MaxDepth { get; init; } = 10.0;

    public DepthHeadOutput Output { get; init; } = DepthHeadOutput.Bins;

    public int Bins { get; init; } = 256;

    /// <summary>Bilinear up-sampling of the patch grid before the bins are normalised (DINOv2's BNHead uses 4).</summary>
    public int FeatureUpsample { get; init; } = 4;

    public int Steps { get; init; } = 1000;

    public int BatchSize { get; init; } = 8;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Share of the steps with a linearly rising learning rate; after it the rate decays linearly to zero (0: no warm-up).</summary>
    public double WarmupFraction { get; init; }

    /// <summary>SigLoss warm-up: the first steps minimise only the scale term sqrt(0.15·mean(g)²).</summary>
    public int WarmUpSteps { get; init; } = 100;

    public int Seed { get; init; }

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    public DenseTrainingOptions Training => new()
    {
        Steps = Steps, BatchSize = BatchSize, LearningRate = LearningRate, WeightDecay = WeightDecay,
        WarmupFraction = WarmupFraction, Seed = Seed, Device = Device,
    };
}
