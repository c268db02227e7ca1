namespace ProbeBench.Core.Probes;

/// <summary>How the depth probe turns its 1×1 convolution into depth.</summary>
public enum DepthHeadOutput
{
    /// <summary>Logits over depth bins spaced linearly in [min, max]; depth = softmax-weighted bin centres.</summary>
    Bins,

    /// <summary>One channel; depth = relu(output) + min depth.</summary>
    Direct,
}

/// <summary>Settings of the DINOv2-style depth linear probe (<see cref="DepthProbeTrainer"/>).</summary>
public sealed record DepthProbeOptions
{
    public double MinDepth { get; init; } = 1e-3;

    public double MaxDepth { get; init; } = 10.0;

    public DepthHeadOutput Output { get; init; } = DepthHeadOutput.Bins;

    public int Bins { get; init; } = 256;

    /// <summary>
    /// Bilinear up-sampling of the feature grid before BatchNorm (DINOv2's BNHead uses 4). Memory per step is
    /// batch × probe channels × (grid × factor)² floats, so 1 or 2 keeps CPU runs small.
    /// </summary>
    public int FeatureUpsample { get; init; } = 4;

    public int Steps { get; init; } = 1000;

    public int BatchSize { get; init; } = 8;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>SigLoss warm-up: the first steps minimise only the scale term sqrt(0.15·mean(g)²).</summary>
    public int WarmUpSteps { get; init; } = 100;

    public int Seed { get; init; }

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";
}
