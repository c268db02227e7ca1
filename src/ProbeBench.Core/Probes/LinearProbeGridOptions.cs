namespace ProbeBench.Core.Probes;

/// <summary>Settings of the DINOv2 linear-probe grid (<see cref="LinearProbeGrid"/>).</summary>
public sealed record LinearProbeGridOptions
{
    /// <summary>The DINOv2 linear-eval learning rates, before scaling by <see cref="BatchSize"/> / 256.</summary>
    public static IReadOnlyList<double> DinoV2LearningRates { get; } =
        [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1];

    public IReadOnlyList<double> BaseLearningRates { get; init; } = DinoV2LearningRates;

    public int BatchSize { get; init; } = 256;

    public int Epochs { get; init; } = 10;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; }

    /// <summary>Seeds the weight initialisation and the per-epoch shuffles.</summary>
    public int Seed { get; init; }

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The learning rate actually used for a base rate: base × batch / 256 (DINOv2's scaling).</summary>
    public double Scaled(double baseLearningRate) => baseLearningRate * BatchSize / 256.0;
}
